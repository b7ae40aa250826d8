package dev.twofold.operator.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Lifetimes of the webhook serving CA and certificate.
 *
 * @param caLifetime lifetime of a generated CA; rotation starts at 2/3 of it
 * @param servingCertLifetime lifetime of a serving certificate (capped at its CA's notAfter); renewed at 2/3
 * @param rotationOverlap how long the next CA is published before it signs, and the previous one kept after
 * @param recheckInterval the longest time between two looks at the certificates when nothing changes
 */
public record PkiSettings(Duration caLifetime, Duration servingCertLifetime, Duration rotationOverlap,
        Duration recheckInterval) {

    public static final Duration DEFAULT_CA_LIFETIME = Duration.ofDays(365);
    public static final Duration DEFAULT_SERVING_CERT_LIFETIME = Duration.ofDays(30);
    public static final Duration DEFAULT_ROTATION_OVERLAP = Duration.ofHours(1);
    public static final Duration DEFAULT_RECHECK_INTERVAL = Duration.ofMinutes(10);

    public PkiSettings {
        Objects.requireNonNull(caLifetime, "caLifetime");
        Objects.requireNonNull(servingCertLifetime, "servingCertLifetime");
        Objects.requireNonNull(rotationOverlap, "rotationOverlap");
        Objects.requireNonNull(recheckInterval, "recheckInterval");
        requirePositive(caLifetime, "--ca-lifetime");
        requirePositive(servingCertLifetime, "--serving-cert-lifetime");
        requirePositive(recheckInterval, "--recheck-interval");
        if (rotationOverlap.isNegative()) {
            throw new IllegalArgumentException("--ca-rotation-overlap must not be negative");
        }
        if (servingCertLifetime.compareTo(caLifetime) > 0) {
            throw new IllegalArgumentException("--serving-cert-lifetime (" + servingCertLifetime
                    + ") must not exceed --ca-lifetime (" + caLifetime + ")");
        }
        // Rotation starts with a third of the CA's life left; both overlaps must fit in it.
        if (rotationOverlap.multipliedBy(6).compareTo(caLifetime) > 0) {
            throw new IllegalArgumentException("--ca-rotation-overlap (" + rotationOverlap
                    + ") must be at most a sixth of --ca-lifetime (" + caLifetime + ")");
        }
    }

    public static PkiSettings defaults() {
        return new PkiSettings(DEFAULT_CA_LIFETIME, DEFAULT_SERVING_CERT_LIFETIME, DEFAULT_ROTATION_OVERLAP,
                DEFAULT_RECHECK_INTERVAL);
    }

    private static void requirePositive(Duration value, String flag) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(flag + " must be positive");
        }
    }
}
