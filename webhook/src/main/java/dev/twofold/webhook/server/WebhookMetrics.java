package dev.twofold.webhook.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Every metric of the webhook, named in one place (Prometheus names as scraped):
 * <ul>
 *   <li>{@code twofold_webhook_requests_total{endpoint, decision, policy, reason}}: one per request; decision is
 *       allow, deny, audit_warn, no_opinion or error (see {@link Outcome});
 *   <li>{@code twofold_webhook_request_seconds{endpoint}}: histogram of the time from routing to the response;
 *   <li>{@code twofold_evidence_missing_total{policy, reason}}: per unmet requirement of a deny or audit_warn, reason
 *       being the {@code Missing} type in snake_case;
 *   <li>{@code twofold_audit_would_deny_total{policy}}: requests an Audit policy would have denied;
 *   <li>{@code twofold_policies_loaded}: MfaPolicies in the live snapshot;
 *   <li>{@code twofold_webhook_certificate_expiry_seconds}: seconds until the serving certificate's notAfter
 *       (negative once expired; NaN before one is loaded).
 * </ul>
 * Tags are low-cardinality by construction: endpoint and reason come from fixed sets, policy from the cluster's
 * MfaPolicy names; never a user, namespace or resource name.
 */
public final class WebhookMetrics {

    public static final String REQUESTS = "twofold.webhook.requests";
    public static final String REQUEST_DURATION = "twofold.webhook.request";
    public static final String EVIDENCE_MISSING = "twofold.evidence.missing";
    public static final String AUDIT_WOULD_DENY = "twofold.audit.would.deny";
    public static final String POLICIES_LOADED = "twofold.policies.loaded";
    public static final String CERTIFICATE_EXPIRY = "twofold.webhook.certificate.expiry";

    /** The endpoint tag of requests to unknown paths. */
    public static final String UNKNOWN_ENDPOINT = "unknown";

    // Bucket bounds of the latency histogram: sub-millisecond resolution where the target (p99 <= 5 ms) lies.
    private static final Duration[] BUCKETS = {
        Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Records one request to {@code endpoint} that took {@code nanos} and came to {@code outcome}. */
    public void record(String endpoint, Outcome outcome, long nanos) {
        timers.computeIfAbsent(endpoint, this::timer).record(nanos, TimeUnit.NANOSECONDS);
        Counter.builder(REQUESTS)
                .description("Requests served, by endpoint and decision")
                .tag("endpoint", endpoint)
                .tag("decision", outcome.kind().tag())
                .tag("policy", outcome.policy())
                .tag("reason", outcome.reason())
                .register(registry)
                .increment();
        if (outcome.kind() == Outcome.Kind.DENY || outcome.kind() == Outcome.Kind.AUDIT_WARN) {
            for (String missing : outcome.missing()) {
                Counter.builder(EVIDENCE_MISSING)
                        .description("Unmet MfaPolicy requirements of denied and audit-warned requests")
                        .tag("policy", outcome.policy())
                        .tag("reason", missing)
                        .register(registry)
                        .increment();
            }
        }
        if (outcome.kind() == Outcome.Kind.AUDIT_WARN) {
            Counter.builder(AUDIT_WOULD_DENY)
                    .description("Requests an Audit MfaPolicy would have denied")
                    .tag("policy", outcome.policy())
                    .register(registry)
                    .increment();
        }
    }

    /** Publishes the number of live policies. */
    public void policiesLoaded(IntSupplier count) {
        Gauge.builder(POLICIES_LOADED, count, c -> c.getAsInt())
                .description("MfaPolicies in the live snapshot")
                .strongReference(true) // the supplier is often a method reference nobody else holds
                .register(registry);
    }

    /** Publishes the time left on the serving certificate; {@code notAfter} returns null while none is loaded. */
    public void certificateExpiry(Supplier<Instant> notAfter, Clock clock) {
        Gauge.builder(CERTIFICATE_EXPIRY, notAfter, s -> {
            Instant end = s.get();
            return end == null ? Double.NaN : Duration.between(clock.instant(), end).toMillis() / 1000.0;
        })
                .description("Seconds until the serving certificate expires")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
    }

    private Timer timer(String endpoint) {
        return Timer.builder(REQUEST_DURATION)
                .description("Time to answer a request, from routing to the response")
                .tag("endpoint", endpoint)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }
}
