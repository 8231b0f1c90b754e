package org.rekap.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SheddingExecutorTest {
    @Test
    void workBeyondTheBudgetIsRefusedAtOnceAndTheBudgetComesBackWhenWorkEnds() throws Exception {
        AtomicInteger shed = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1), started = new CountDownLatch(2), done = new CountDownLatch(3);
        try (var pool = new SheddingExecutor(Executors.newVirtualThreadPerTaskExecutor(), 2, "public", s -> shed.incrementAndGet())) {
            for (int i = 0; i < 2; i++)
                pool.execute(() -> {
                    started.countDown();
                    await(release);
                    done.countDown();
                });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> pool.execute(() -> {})).isInstanceOf(Shed.class).hasMessageContaining("public");
            assertThat(shed).hasValue(1);
            release.countDown();
            // Permits return as tasks finish; poll until a new task is taken (bounded by the deadline).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean taken = false;
            while (!taken && System.nanoTime() < deadline) {
                try {
                    pool.execute(done::countDown);
                    taken = true;
                } catch (Shed e) {
                    Thread.onSpinWait();
                }
            }
            assertThat(taken).isTrue();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
