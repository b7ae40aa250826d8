package dev.twofold.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Workload identity metrics, named in one place (Prometheus names in brackets). Tags are low-cardinality: the issuance
 * path ({@code pcr}, {@code csr}, {@code agent}), the policy as {@code namespace/name}, the typed denial reason and
 * the trust domain object name; never a pod or user.
 * <ul>
 *   <li>{@value #ISSUED} [{@code twofold_workload_certificates_issued_total}] {path, policy}</li>
 *   <li>{@value #DENIED} [{@code twofold_workload_certificates_denied_total}] {path, reason}</li>
 *   <li>{@value #ISSUANCE} [{@code twofold_workload_issuance_seconds}] {path}: attestation through signing</li>
 *   <li>{@value #CA_EXPIRY} [{@code twofold_workload_ca_expiry_seconds}] {trust_domain}: until the active CA
 *       expires</li>
 * </ul>
 */
public final class WorkloadMetrics {

    public static final String ISSUED = "twofold.workload.certificates.issued";
    public static final String DENIED = "twofold.workload.certificates.denied";
    public static final String ISSUANCE = "twofold.workload.issuance";
    public static final String CA_EXPIRY = "twofold.workload.ca.expiry.seconds";

    // Histogram buckets of the issuance time (a signature is ~0.2 ms; attestation reads the informers' caches).
    private static final Duration[] ISSUANCE_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)};

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, AtomicReference<Instant>> caNotAfter = new ConcurrentHashMap<>();

    public WorkloadMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    public void issued(String path, String policy, Duration took) {
        Counter.builder(ISSUED).tag("path", path).tag("policy", policy).register(registry).increment();
        Timer.builder(ISSUANCE).tag("path", path).serviceLevelObjectives(ISSUANCE_BUCKETS).register(registry)
                .record(took);
    }

    public void denied(String path, String reason) {
        Counter.builder(DENIED).tag("path", path).tag("reason", reason).register(registry).increment();
    }

    /** The active CA of {@code trustDomain} expires at {@code notAfter}. */
    public void caExpiry(String trustDomain, Instant notAfter) {
        caNotAfter.computeIfAbsent(trustDomain, name -> {
            AtomicReference<Instant> holder = new AtomicReference<>();
            Gauge.builder(CA_EXPIRY, holder, this::secondsLeft).tag("trust_domain", name).register(registry);
            return holder;
        }).set(notAfter);
    }

    private double secondsLeft(AtomicReference<Instant> notAfter) {
        Instant value = notAfter.get();
        return value == null ? Double.NaN : Duration.between(clock.instant(), value).toMillis() / 1000.0;
    }
}
