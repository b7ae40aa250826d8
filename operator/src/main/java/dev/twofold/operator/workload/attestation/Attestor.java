package dev.twofold.operator.workload.attestation;

import dev.twofold.api.v1alpha1.AttestationRequirements;
import dev.twofold.api.v1alpha1.KeyType;
import dev.twofold.api.v1alpha1.PodPhase;
import dev.twofold.api.v1alpha1.TrustDomain;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicySpec;
import dev.twofold.api.validation.ValidationResult;
import dev.twofold.api.validation.WorkloadCertificatePolicyValidator;
import dev.twofold.api.workload.LabelSelectorMatcher;
import dev.twofold.operator.workload.WorkloadIdentity;
import dev.twofold.operator.workload.attestation.AttestationClaim.PodBoundTokenClaim;
import dev.twofold.operator.workload.attestation.AttestationClaim.PodCertificateRequestClaim;
import dev.twofold.operator.workload.attestation.AttestationFailure.Reason;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Attests a requester for every issuance path (DESIGN §1): the node exists with the claimed UID, is Ready, not being
 * deleted and trusted by the trust domain; the pod exists with the claimed UID, service account and node, is not
 * terminating; exactly one policy covers it; then the policy's own requirements (phase, pinned images, node labels,
 * key type). Pure over a {@link ClusterView}: the same answer for the same view, no I/O.
 *
 * <p>Identity checks come before policy checks, so a failure names the most basic problem. The identity returned is
 * read from the Pod and Node objects, never from the claim.
 */
public final class Attestor {

    private static final Pattern PINNED = Pattern.compile(".*@sha256:[0-9a-f]{64}");

    private final ClusterView cluster;

    public Attestor(ClusterView cluster) {
        this.cluster = cluster;
    }

    /** Attests {@code claim} for a request with a key of {@code keyType}. */
    public Attestation attest(AttestationClaim claim, KeyType keyType) {
        ClaimSubject resolved = switch (claim) {
            case PodCertificateRequestClaim pcr -> new Subject(pcr.namespace(), pcr.serviceAccountName(),
                    pcr.podName(), pcr.podUid(), pcr.nodeName(), pcr.nodeUid());
            case PodBoundTokenClaim token -> fromToken(token);
        };
        return switch (resolved) {
            case Subject subject -> attest(subject, keyType);
            case Unusable unusable -> unusable.failure();
        };
    }

    /** What a claim names, or why it names nothing attestation can check. */
    private sealed interface ClaimSubject permits Subject, Unusable {
    }

    private record Unusable(Attestation.Failed failure) implements ClaimSubject {
    }

    /** The requester as the claim names it. */
    private record Subject(String namespace, String serviceAccount, String podName, String podUid, String nodeName,
            String nodeUid) implements ClaimSubject {
        String pod() {
            return namespace + "/" + podName;
        }
    }

    private Attestation attest(Subject subject, KeyType keyType) {
        Optional<Node> maybeNode = cluster.node(subject.nodeName());
        if (maybeNode.isEmpty()) {
            return failed(Reason.NODE_NOT_FOUND, "node " + q(subject.nodeName()) + " not found");
        }
        Node node = maybeNode.get();
        String nodeUid = node.getMetadata().getUid();
        if (!subject.nodeUid().equals(nodeUid)) {
            return failed(Reason.NODE_UID_MISMATCH, "node " + q(subject.nodeName()) + " has UID " + q(nodeUid)
                    + ", the request names " + q(subject.nodeUid()));
        }
        if (node.getMetadata().getDeletionTimestamp() != null) {
            return failed(Reason.NODE_DELETING, "node " + q(subject.nodeName()) + " is being deleted");
        }
        String ready = readyStatus(node);
        if (!"True".equals(ready)) {
            return failed(Reason.NODE_NOT_READY, "node " + q(subject.nodeName()) + " is not Ready ("
                    + (ready == null ? "no Ready condition" : "Ready=" + ready) + ")");
        }

        Optional<Pod> maybePod = cluster.pod(subject.namespace(), subject.podName());
        if (maybePod.isEmpty()) {
            return failed(Reason.POD_NOT_FOUND, "pod " + subject.pod() + " not found");
        }
        Pod pod = maybePod.get();
        String podUid = pod.getMetadata().getUid();
        if (!subject.podUid().equals(podUid)) {
            return failed(Reason.POD_UID_MISMATCH, "pod " + subject.pod() + " has UID " + q(podUid)
                    + ", the request names " + q(subject.podUid()) + " (was the pod recreated?)");
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return failed(Reason.POD_TERMINATING, "pod " + subject.pod() + " is terminating");
        }
        String serviceAccount = serviceAccount(pod);
        if (!subject.serviceAccount().equals(serviceAccount)) {
            return failed(Reason.POD_SA_MISMATCH, "pod " + subject.pod() + " runs as service account "
                    + q(serviceAccount) + ", the request names " + q(subject.serviceAccount()));
        }
        String podNode = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (!subject.nodeName().equals(podNode)) {
            return failed(Reason.POD_NODE_MISMATCH, "pod " + subject.pod() + (podNode == null
                    ? " is not scheduled" : " is on node " + q(podNode)) + ", the request comes from node "
                    + q(subject.nodeName()));
        }

        Map<String, String> podLabels = labels(pod.getMetadata().getLabels());
        List<WorkloadCertificatePolicy> covering = PolicySelector.covering(cluster.policies(subject.namespace()),
                podLabels, serviceAccount);
        if (covering.isEmpty()) {
            return failed(Reason.NO_POLICY, "no WorkloadCertificatePolicy in namespace " + subject.namespace()
                    + " covers pod " + subject.podName() + " (service account " + serviceAccount + ")");
        }
        if (covering.size() > 1) {
            return failed(Reason.AMBIGUOUS_POLICY, "pod " + subject.pod() + " is covered by " + covering.size()
                    + " WorkloadCertificatePolicies (" + String.join(", ", covering.stream()
                    .map(p -> p.getMetadata().getName()).sorted().toList()) + "); exactly one may cover a pod");
        }
        WorkloadCertificatePolicy policy = covering.get(0);
        String policyName = subject.namespace() + "/" + policy.getMetadata().getName();
        WorkloadCertificatePolicySpec spec = policy.getSpec();
        ValidationResult validation = WorkloadCertificatePolicyValidator.validate(spec);
        if (!validation.valid()) {
            return failed(Reason.POLICY_INVALID, "policy " + policyName + " is invalid: "
                    + validation.errorSummary());
        }

        Optional<TrustDomain> trustDomain = cluster.trustDomain(spec.trustDomain())
                .filter(td -> td.getSpec() != null && td.getMetadata().getDeletionTimestamp() == null);
        if (trustDomain.isEmpty()) {
            return failed(Reason.TRUST_DOMAIN_MISSING, "policy " + policyName + " names TrustDomain "
                    + q(spec.trustDomain()) + ", which does not exist");
        }
        Map<String, String> nodeLabels = labels(node.getMetadata().getLabels());
        if (!trusts(trustDomain.get(), nodeLabels)) {
            return failed(Reason.NODE_UNTRUSTED, "node " + q(subject.nodeName()) + " is not selected by the "
                    + "trustedNodeSelector of TrustDomain " + q(spec.trustDomain()));
        }

        AttestationRequirements requirements = spec.attestation();
        String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null
                ? PodPhase.Pending.name() : pod.getStatus().getPhase(); // the API server sets Pending on create
        if (requirements.podPhases().stream().noneMatch(p -> p.name().equals(phase))) {
            return failed(Reason.POD_PHASE_NOT_ALLOWED, "pod " + subject.pod() + " is " + phase + "; policy "
                    + policyName + " allows " + requirements.podPhases());
        }
        if (requirements.requireImageDigests()) {
            Optional<String> unpinned = unpinnedImage(pod);
            if (unpinned.isPresent()) {
                return failed(Reason.IMAGE_NOT_PINNED, unpinned.get() + " is not pinned by digest (policy "
                        + policyName + " requires image@sha256:<digest>)");
            }
        }
        List<String> missing = new ArrayList<>();
        requirements.nodeLabels().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(required -> {
            if (!required.getValue().equals(nodeLabels.get(required.getKey()))) {
                missing.add(required.getKey() + "=" + required.getValue());
            }
        });
        if (!missing.isEmpty()) {
            return failed(Reason.NODE_LABELS_MISSING, "node " + q(subject.nodeName()) + " lacks labels required by "
                    + "policy " + policyName + ": " + String.join(", ", missing));
        }
        if (!spec.keyTypes().contains(keyType)) {
            return failed(Reason.KEY_TYPE_NOT_ALLOWED, "policy " + policyName + " allows " + spec.keyTypes()
                    + " keys, not " + keyType);
        }
        WorkloadIdentity identity = new WorkloadIdentity(subject.namespace(), serviceAccount,
                pod.getMetadata().getName(), podUid, podNode, podLabels);
        return new Attestation.Attested(identity, policy, trustDomain.get());
    }

    /** The subject of a pod-bound token, or why there is none. */
    private static ClaimSubject fromToken(PodBoundTokenClaim token) {
        String username = token.username();
        if (!username.startsWith(PodBoundTokenClaim.USERNAME_PREFIX)) {
            return new Unusable(failed(Reason.CLAIM_INVALID, "user " + q(clip(username))
                    + " is not a service account"));
        }
        String[] parts = username.substring(PodBoundTokenClaim.USERNAME_PREFIX.length()).split(":", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return new Unusable(failed(Reason.CLAIM_INVALID, "user " + q(clip(username))
                    + " is not a service account"));
        }
        String[] values = new String[4];
        String[] keys = {PodBoundTokenClaim.POD_NAME, PodBoundTokenClaim.POD_UID, PodBoundTokenClaim.NODE_NAME,
            PodBoundTokenClaim.NODE_UID};
        for (int i = 0; i < keys.length; i++) {
            List<String> value = token.extra().get(keys[i]);
            if (value == null || value.size() != 1 || value.get(0) == null || value.get(0).isEmpty()) {
                return new Unusable(failed(Reason.CLAIM_INVALID, "the token of " + username + " is not bound to a "
                        + "pod on a node (extra " + keys[i] + " must have one value)"));
            }
            values[i] = value.get(0);
        }
        return new Subject(parts[0], parts[1], values[0], values[1], values[2], values[3]);
    }

    private static String readyStatus(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return null;
        }
        for (NodeCondition condition : node.getStatus().getConditions()) {
            if ("Ready".equals(condition.getType())) {
                return condition.getStatus();
            }
        }
        return null;
    }

    /** Kubernetes defaults an unset service account to "default". */
    private static String serviceAccount(Pod pod) {
        String name = pod.getSpec() == null ? null : pod.getSpec().getServiceAccountName();
        return name == null || name.isEmpty() ? "default" : name;
    }

    private static boolean trusts(TrustDomain trustDomain, Map<String, String> nodeLabels) {
        try {
            return LabelSelectorMatcher.compile(trustDomain.getSpec().trustedNodeSelector()).matches(nodeLabels);
        } catch (IllegalArgumentException e) {
            return false; // an invalid selector trusts nobody
        }
    }

    private static Optional<String> unpinnedImage(Pod pod) {
        if (pod.getSpec() == null) {
            return Optional.empty();
        }
        for (Container container : concat(pod.getSpec().getInitContainers(), pod.getSpec().getContainers())) {
            if (container.getImage() == null || !PINNED.matcher(container.getImage()).matches()) {
                return Optional.of("container " + q(container.getName()) + " image " + q(container.getImage()));
            }
        }
        if (pod.getSpec().getEphemeralContainers() != null) {
            for (EphemeralContainer container : pod.getSpec().getEphemeralContainers()) {
                if (container.getImage() == null || !PINNED.matcher(container.getImage()).matches()) {
                    return Optional.of("ephemeral container " + q(container.getName()) + " image "
                            + q(container.getImage()));
                }
            }
        }
        return Optional.empty();
    }

    private static List<Container> concat(List<Container> a, List<Container> b) {
        List<Container> out = new ArrayList<>();
        if (a != null) {
            out.addAll(a);
        }
        if (b != null) {
            out.addAll(b);
        }
        return out;
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }

    private static Attestation.Failed failed(Reason reason, String message) {
        return new Attestation.Failed(reason, message);
    }

    private static String q(String value) {
        return "\"" + value + "\"";
    }

    private static String clip(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && i < 100; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return value.length() > 100 ? out + "..." : out.toString();
    }
}
