package dev.twofold.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OperatorLeaderMetricTest {

    @Test
    @DisplayName("twofold_operator_leader follows the replica's leadership: 0 standing by, 1 leading")
    void leaderGaugeFollowsTheLease() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicBoolean leading = new AtomicBoolean(false);
        new OperatorMetrics(registry, Clock.systemUTC()).leader(leading::get);

        assertThat(registry.scrape()).containsPattern("(?m)^twofold_operator_leader 0\\.0$");
        leading.set(true);
        assertThat(registry.scrape()).containsPattern("(?m)^twofold_operator_leader 1\\.0$");
    }
}
