package dev.twofold.api.workload;

import dev.twofold.api.v1alpha1.WorkloadTtl;
import dev.twofold.api.validation.GoDuration;
import java.time.Duration;
import java.util.Objects;

/**
 * A trust domain's workload certificate lifetime bounds, parsed: {@code min <= defaultTtl <= max}.
 *
 * @param min shortest lifetime
 * @param max longest lifetime
 * @param defaultTtl lifetime for policies without a ttl
 */
public record TtlBounds(Duration min, Duration max, Duration defaultTtl) {

    public TtlBounds {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(defaultTtl, "defaultTtl");
        if (min.compareTo(max) > 0 || defaultTtl.compareTo(min) < 0 || defaultTtl.compareTo(max) > 0) {
            throw new IllegalArgumentException("need min <= default <= max, got " + GoDuration.format(min) + ", "
                    + GoDuration.format(defaultTtl) + ", " + GoDuration.format(max));
        }
    }

    /**
     * The bounds of {@code ttl}.
     *
     * @throws IllegalArgumentException when a value does not parse or the order is wrong (the validator reports
     *     those with field paths first)
     */
    public static TtlBounds of(WorkloadTtl ttl) {
        return new TtlBounds(parse("min", ttl.min()), parse("max", ttl.max()), parse("default", ttl.defaultTtl()));
    }

    /** {@code ttl} moved into {@code [min, max]}; {@code null} means the default. */
    public Duration clamp(Duration ttl) {
        if (ttl == null) {
            return defaultTtl;
        }
        if (ttl.compareTo(min) < 0) {
            return min;
        }
        return ttl.compareTo(max) > 0 ? max : ttl;
    }

    private static Duration parse(String field, String text) {
        return GoDuration.parse(text).orElseThrow(() ->
                new IllegalArgumentException("workloadTtl." + field + " is not a duration: " + text));
    }
}
