package dev.twofold.operator.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When the agent asks again. After an issuance: at the server's {@code beginRefreshAt} (half of the lifetime), moved
 * earlier by up to a tenth of the lifetime at random, so that pods started together do not renew together. After a
 * failure: exponential back-off from 1 s to 1 min, a random wait in the upper half of each step (or the server's
 * {@code Retry-After}).
 */
final class RenewalSchedule {

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    private static final double JITTER = 0.1;

    private final RandomGenerator random;

    RenewalSchedule(RandomGenerator random) {
        this.random = random;
    }

    /** When to renew a certificate valid from {@code notBefore} to {@code notAfter}. */
    Instant renewAt(Instant notBefore, Instant notAfter, Instant beginRefreshAt) {
        long lifetimeMillis = Duration.between(notBefore, notAfter).toMillis();
        long earlier = (long) (lifetimeMillis * JITTER * random.nextDouble());
        Instant at = beginRefreshAt.minusMillis(earlier);
        return at.isBefore(notBefore) ? notBefore : at;
    }

    /** The wait before attempt {@code failures + 1}, {@code failures} >= 1. */
    Duration backoff(int failures) {
        long ceiling = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(failures - 1, 16));
        return Duration.ofMillis(ceiling / 2 + (long) (random.nextDouble() * (ceiling / 2.0)));
    }
}
