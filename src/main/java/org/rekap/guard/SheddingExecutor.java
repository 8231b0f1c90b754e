package org.rekap.guard;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs blocking work (database reads, proofs, signature checks) while fewer than a budget of tasks wait or run, and
 * refuses the rest at once with {@link Shed}. Queueing beyond the budget would only turn overload into timeouts for
 * everyone; refusing keeps each accepted request fast and leaves the precomputed documents untouched.
 */
public final class SheddingExecutor extends AbstractExecutorService {
    private final ExecutorService delegate;
    private final Semaphore permits;
    private final String side;
    private final Consumer<String> onShed;

    public SheddingExecutor(ExecutorService delegate, int budget, String side, Consumer<String> onShed) {
        this.delegate = delegate;
        this.permits = new Semaphore(budget);
        this.side = side;
        this.onShed = onShed;
    }

    @Override
    public void execute(Runnable task) {
        if (!permits.tryAcquire()) {
            onShed.accept(side);
            throw new Shed(side);
        }
        try {
            delegate.execute(() -> {
                try {
                    task.run();
                } finally {
                    permits.release();
                }
            });
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return delegate.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return delegate.awaitTermination(timeout, unit);
    }
}
