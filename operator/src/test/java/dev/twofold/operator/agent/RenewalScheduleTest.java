package dev.twofold.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RenewalScheduleTest {

    private static final Instant NOT_BEFORE = Instant.parse("2026-11-26T12:00:00Z");
    private static final Instant NOT_AFTER = NOT_BEFORE.plus(Duration.ofHours(1));
    private static final Instant HALF = NOT_BEFORE.plus(Duration.ofMinutes(30));

    private static RandomGenerator always(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @Test
    void renewal_is_due_at_the_servers_refresh_time_at_the_latest() {
        assertThat(new RenewalSchedule(always(0)).renewAt(NOT_BEFORE, NOT_AFTER, HALF)).isEqualTo(HALF);
    }

    @Test
    void jitter_moves_renewal_earlier_by_at_most_a_tenth_of_the_lifetime() {
        assertThat(new RenewalSchedule(always(0.999999)).renewAt(NOT_BEFORE, NOT_AFTER, HALF))
                .isAfter(HALF.minus(Duration.ofMinutes(6)).minusMillis(1)).isBefore(HALF);
        assertThat(new RenewalSchedule(always(0.5)).renewAt(NOT_BEFORE, NOT_AFTER, HALF))
                .isEqualTo(HALF.minus(Duration.ofMinutes(3)));
    }

    @Test
    void renewal_is_never_before_the_certificate_is_valid() {
        assertThat(new RenewalSchedule(always(0.999)).renewAt(NOT_BEFORE, NOT_AFTER, NOT_BEFORE)).isEqualTo(NOT_BEFORE);
    }

    @Test
    void failures_back_off_exponentially_up_to_a_minute_within_the_upper_half_of_each_step() {
        RenewalSchedule low = new RenewalSchedule(always(0));
        RenewalSchedule high = new RenewalSchedule(always(0.999999));
        assertThat(low.backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(high.backoff(1)).isLessThan(Duration.ofSeconds(1));
        assertThat(low.backoff(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(low.backoff(7)).isEqualTo(Duration.ofSeconds(30));
        assertThat(high.backoff(50)).isLessThan(Duration.ofMinutes(1)).isGreaterThan(Duration.ofSeconds(59));
    }
}
