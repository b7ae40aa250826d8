package dev.twofold.operator.workload.signer;

import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicyStatus;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The issuance counters of each WorkloadCertificatePolicy (certificates issued, last issuance, denials by reason),
 * kept by the signers and written into the policy's status by its reconciler. Totals start from what the status
 * already says when a policy is first touched, so they survive operator restarts (up to the last status write).
 */
public final class PolicyCounters {

    /** A policy's totals. */
    public record Totals(long issued, Instant lastIssuance, Map<String, Long> denials) {
        public Totals {
            denials = Map.copyOf(denials);
        }
    }

    private final Map<String, Totals> totals = new ConcurrentHashMap<>();
    private volatile Consumer<WorkloadCertificatePolicy> onChange = policy -> { };

    /** Called after each change (the reconciler turns it into a reconcile of the policy). */
    public void onChange(Consumer<WorkloadCertificatePolicy> listener) {
        this.onChange = listener;
    }

    public void issued(WorkloadCertificatePolicy policy, Instant at) {
        totals.compute(key(policy), (key, current) -> {
            Totals base = current == null ? seed(policy) : current;
            return new Totals(base.issued() + 1, at, base.denials());
        });
        onChange.accept(policy);
    }

    public void denied(WorkloadCertificatePolicy policy, String reason) {
        totals.compute(key(policy), (key, current) -> {
            Totals base = current == null ? seed(policy) : current;
            Map<String, Long> denials = new TreeMap<>(base.denials());
            denials.merge(reason, 1L, Long::sum);
            return new Totals(base.issued(), base.lastIssuance(), denials);
        });
        onChange.accept(policy);
    }

    /** The policy's totals: ours if it was touched since start, else what its status says. */
    public Totals totals(WorkloadCertificatePolicy policy) {
        Totals current = totals.get(key(policy));
        return current != null ? current : seed(policy);
    }

    /** Forgets a deleted policy. */
    public void forget(WorkloadCertificatePolicy policy) {
        totals.remove(key(policy));
    }

    private static Totals seed(WorkloadCertificatePolicy policy) {
        WorkloadCertificatePolicyStatus status = policy.getStatus();
        if (status == null) {
            return new Totals(0, null, Map.of());
        }
        Instant last = null;
        try {
            last = status.lastIssuance() == null ? null : Instant.parse(status.lastIssuance());
        } catch (RuntimeException e) {
            // someone else's garbage in our status: start over
        }
        return new Totals(status.certificatesIssued() == null ? 0 : status.certificatesIssued(), last,
                status.denials());
    }

    private static String key(WorkloadCertificatePolicy policy) {
        // The UID: a policy deleted and created again starts from zero.
        return policy.getMetadata().getUid() != null ? policy.getMetadata().getUid()
                : policy.getMetadata().getNamespace() + "/" + policy.getMetadata().getName();
    }
}
