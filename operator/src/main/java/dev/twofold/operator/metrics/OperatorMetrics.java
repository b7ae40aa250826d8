package dev.twofold.operator.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operator's own metrics, all gauges, all low-cardinality. Names as Prometheus shows them:
 * <ul>
 *   <li>{@code twofold_operator_policies{state="ready|invalid|disabled"}}: MfaPolicies by state;
 *   <li>{@code twofold_operator_admission_rules}: rules in the ValidatingWebhookConfiguration;
 *   <li>{@code twofold_operator_webhook_ca_expiry_seconds}: seconds until the signing CA expires (negative once
 *       expired; NaN before the first certificate pass);
 *   <li>{@code twofold_operator_webhook_serving_cert_expiry_seconds}: the same for the serving certificate;
 *   <li>{@code twofold_operator_leader}: 1 while this replica reconciles (holds the Lease, or runs without leader
 *       election), 0 while it stands by.
 * </ul>
 * JOSDK's {@code operator_sdk_*} reconciliation metrics come from its MicrometerMetrics, without per-resource tags.
 */
public final class OperatorMetrics {

    public static final String POLICIES = "twofold.operator.policies";
    public static final String ADMISSION_RULES = "twofold.operator.admission.rules";
    public static final String CA_EXPIRY = "twofold.operator.webhook.ca.expiry.seconds";
    public static final String SERVING_CERT_EXPIRY = "twofold.operator.webhook.serving.cert.expiry.seconds";
    public static final String LEADER = "twofold.operator.leader";

    private final Clock clock;
    private final MeterRegistry registry;
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicInteger invalid = new AtomicInteger();
    private final AtomicInteger disabled = new AtomicInteger();
    private final AtomicInteger admissionRules = new AtomicInteger();
    private final AtomicReference<Instant> caNotAfter = new AtomicReference<>();
    private final AtomicReference<Instant> servingNotAfter = new AtomicReference<>();

    public OperatorMetrics(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.registry = registry;
        Gauge.builder(POLICIES, ready, AtomicInteger::get).tag("state", "ready")
                .description("MfaPolicies by state").register(registry);
        Gauge.builder(POLICIES, invalid, AtomicInteger::get).tag("state", "invalid")
                .description("MfaPolicies by state").register(registry);
        Gauge.builder(POLICIES, disabled, AtomicInteger::get).tag("state", "disabled")
                .description("MfaPolicies by state").register(registry);
        Gauge.builder(ADMISSION_RULES, admissionRules, AtomicInteger::get)
                .description("Rules in the admission webhook configuration").register(registry);
        Gauge.builder(CA_EXPIRY, caNotAfter, this::secondsLeft)
                .description("Seconds until the webhook serving CA expires").register(registry);
        Gauge.builder(SERVING_CERT_EXPIRY, servingNotAfter, this::secondsLeft)
                .description("Seconds until the webhook serving certificate expires").register(registry);
    }

    /** Publishes whether this replica is the one reconciling. */
    public void leader(BooleanSupplier leading) {
        Gauge.builder(LEADER, leading, l -> l.getAsBoolean() ? 1 : 0)
                .description("1 while this operator replica reconciles, 0 while it stands by")
                .strongReference(true)
                .register(registry);
    }

    public void policies(int readyCount, int invalidCount, int disabledCount) {
        ready.set(readyCount);
        invalid.set(invalidCount);
        disabled.set(disabledCount);
    }

    public void admissionRules(int count) {
        admissionRules.set(count);
    }

    public void certificates(Instant caExpiry, Instant servingExpiry) {
        caNotAfter.set(caExpiry);
        servingNotAfter.set(servingExpiry);
    }

    private double secondsLeft(AtomicReference<Instant> notAfter) {
        Instant value = notAfter.get();
        return value == null ? Double.NaN : Duration.between(clock.instant(), value).toMillis() / 1000.0;
    }
}
