package dev.twofold.webhook.oidc;

import java.time.Duration;

/**
 * Bounds of the verification caches.
 *
 * @param positiveEntries how many verified tokens are remembered
 * @param positiveTtl how long at most (and never past the token's {@code exp})
 * @param negativeEntries how many rejected tokens are remembered
 * @param negativeTtl how long (only failures that cannot change soon are cached)
 */
public record CacheLimits(int positiveEntries, Duration positiveTtl, int negativeEntries, Duration negativeTtl) {

    /** 10,000 verified tokens for up to 5 minutes, 1,000 rejected ones for 10 seconds. */
    public static final CacheLimits DEFAULT = new CacheLimits(10_000, Duration.ofMinutes(5), 1_000,
            Duration.ofSeconds(10));
}
