package org.rekap.guard;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** One client's budget: its token bucket, its open connections and its strikes towards a ban. */
final class Client {
    private final Bucket bucket;
    final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger strikes = new AtomicInteger();
    private volatile long strikesSince;
    private volatile long bannedUntil;

    Client(GuardLimits limits) {
        bucket = limits.rateLimited() ? Bucket.builder().addLimit(Bandwidth.builder().capacity(limits.burst())
                .refillGreedy(limits.requestsPerSecond(), Duration.ofSeconds(1)).build()).build() : null;
    }

    /** Zero when the request may go ahead, else the nanoseconds until it could. */
    long take() {
        if (bucket == null) return 0;
        ConsumptionProbe p = bucket.tryConsumeAndReturnRemaining(1);
        return p.isConsumed() ? 0 : Math.max(1, p.getNanosToWaitForRefill());
    }

    /** Counts a refused request; returns true when this one earns the client a ban. */
    boolean strike(GuardLimits limits, long now) {
        if (now - strikesSince > limits.banFor().toNanos()) {
            strikesSince = now;
            strikes.set(0);
        }
        if (strikes.incrementAndGet() < limits.strikesToBan()) return false;
        strikes.set(0);
        bannedUntil = now + limits.banFor().toNanos();
        return true;
    }

    boolean banned(long now) {
        return bannedUntil - now > 0;
    }
}
