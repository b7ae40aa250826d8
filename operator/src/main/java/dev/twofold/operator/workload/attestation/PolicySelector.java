package dev.twofold.operator.workload.attestation;

import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicySpec;
import dev.twofold.api.workload.LabelSelectorMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The policies of a namespace that cover a pod: the pod selector matches its labels and, when the policy names
 * service accounts, its service account is one of them. Policies being deleted, without a spec or with a selector
 * that cannot be evaluated cover nothing (the reconciler reports the latter on their status).
 */
final class PolicySelector {

    private PolicySelector() {
    }

    static List<WorkloadCertificatePolicy> covering(List<WorkloadCertificatePolicy> policies,
            Map<String, String> podLabels, String serviceAccount) {
        List<WorkloadCertificatePolicy> out = new ArrayList<>(1);
        for (WorkloadCertificatePolicy policy : policies) {
            WorkloadCertificatePolicySpec spec = policy.getSpec();
            if (spec == null || spec.podSelector() == null
                    || policy.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            if (!spec.serviceAccountNames().isEmpty() && !spec.serviceAccountNames().contains(serviceAccount)) {
                continue;
            }
            try {
                if (LabelSelectorMatcher.compile(spec.podSelector()).matches(podLabels)) {
                    out.add(policy);
                }
            } catch (IllegalArgumentException e) {
                // an unknown operator: the policy is invalid and covers nothing
            }
        }
        return out;
    }
}
