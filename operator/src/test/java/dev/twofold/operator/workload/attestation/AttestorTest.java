package dev.twofold.operator.workload.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.v1alpha1.KeyType;
import dev.twofold.api.v1alpha1.TrustDomain;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.operator.workload.WorkloadIdentity;
import dev.twofold.operator.workload.Workloads;
import dev.twofold.operator.workload.attestation.AttestationClaim.PodBoundTokenClaim;
import dev.twofold.operator.workload.attestation.AttestationClaim.PodCertificateRequestClaim;
import dev.twofold.operator.workload.attestation.AttestationFailure.Reason;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Attestor} over an in-memory {@link ClusterView}. Each case starts from a world where attestation succeeds
 * (Ready trusted node-1, Running pod demo/web-0 of service account web with a pinned image, policy demo/web, trust
 * domain prod) and breaks one thing.
 */
class AttestorTest {

    static final String SA_UID = "7d0c1e2f-0000-4000-8000-000000000001";
    static final PodCertificateRequestClaim PCR = new PodCertificateRequestClaim(Workloads.NAMESPACE, "web-0",
            Workloads.POD_UID, "web", SA_UID, "node-1", Workloads.NODE_UID);

    /** The cluster and the request of one case; cases edit it before it is attested. */
    static final class World {
        NodeBuilder node = Workloads.node();
        PodBuilder pod = Workloads.pod();
        List<WorkloadCertificatePolicy> policies = new ArrayList<>(List.of(Workloads.policy()));
        TrustDomain trustDomain = Workloads.trustDomain("trustedNodeSelector: {matchLabels: {pool: trusted}}");
        AttestationClaim claim = PCR;
        KeyType keyType = KeyType.ECDSAP256;

        ClusterView view() {
            Node builtNode = node.build();
            Pod builtPod = pod.build();
            return new ClusterView() {
                @Override
                public Optional<Node> node(String name) {
                    return Optional.of(builtNode).filter(n -> n.getMetadata().getName().equals(name));
                }

                @Override
                public Optional<Pod> pod(String namespace, String name) {
                    return Optional.of(builtPod).filter(p -> p.getMetadata().getNamespace().equals(namespace)
                            && p.getMetadata().getName().equals(name));
                }

                @Override
                public List<WorkloadCertificatePolicy> policies(String namespace) {
                    return policies.stream().filter(p -> p.getMetadata().getNamespace().equals(namespace)).toList();
                }

                @Override
                public Optional<TrustDomain> trustDomain(String name) {
                    return Optional.ofNullable(trustDomain).filter(t -> t.getMetadata().getName().equals(name));
                }
            };
        }

        Attestation attest() {
            return new Attestor(view()).attest(claim, keyType);
        }
    }

    static PodBoundTokenClaim token(String username, Map<String, List<String>> extra) {
        return new PodBoundTokenClaim(username, extra);
    }

    static Map<String, List<String>> boundExtras() {
        return Map.of(PodBoundTokenClaim.POD_NAME, List.of("web-0"), PodBoundTokenClaim.POD_UID,
                List.of(Workloads.POD_UID), PodBoundTokenClaim.NODE_NAME, List.of("node-1"),
                PodBoundTokenClaim.NODE_UID, List.of(Workloads.NODE_UID));
    }

    @Test
    @DisplayName("a PodCertificateRequest from the pod's node is attested, the identity read from the Pod")
    void attested() {
        World world = new World();

        Attestation result = world.attest();

        assertThat(result).isInstanceOfSatisfying(Attestation.Attested.class, attested -> {
            assertThat(attested.identity()).isEqualTo(new WorkloadIdentity("demo", "web", "web-0", Workloads.POD_UID,
                    "node-1", Map.of("app", "web", "tier", "front")));
            assertThat(attested.policy().getMetadata().getName()).isEqualTo("web");
            assertThat(attested.trustDomain().getMetadata().getName()).isEqualTo("prod");
        });
    }

    @Test
    @DisplayName("a pod-bound service account token (CSR API, agent) is attested the same way")
    void attestedByToken() {
        World world = new World();
        world.claim = token("system:serviceaccount:demo:web", boundExtras());

        assertThat(world.attest()).isInstanceOf(Attestation.Attested.class);
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                failure("a user that is not a service account", w -> w.claim = token("alice", boundExtras()),
                        Reason.CLAIM_INVALID, "user \"alice\" is not a service account"),
                failure("a token not bound to a pod on a node", w -> w.claim = token("system:serviceaccount:demo:web",
                                Map.of(PodBoundTokenClaim.POD_NAME, List.of("web-0"))),
                        Reason.CLAIM_INVALID, "the token of system:serviceaccount:demo:web is not bound to a pod on a "
                                + "node (extra authentication.kubernetes.io/pod-uid must have one value)"),
                failure("a node that does not exist", w -> w.node.editMetadata().withName("node-9").endMetadata(),
                        Reason.NODE_NOT_FOUND, "node \"node-1\" not found"),
                failure("a node recreated under the same name", w -> w.node.editMetadata().withUid("new-uid")
                        .endMetadata(), Reason.NODE_UID_MISMATCH, "node \"node-1\" has UID \"new-uid\", the request "
                        + "names \"" + Workloads.NODE_UID + "\""),
                failure("a node that is not Ready", w -> w.node.editStatus().editFirstCondition().withStatus("False")
                        .endCondition().endStatus(), Reason.NODE_NOT_READY,
                        "node \"node-1\" is not Ready (Ready=False)"),
                failure("a node without a Ready condition", w -> w.node.editStatus().withConditions(List.of())
                        .endStatus(), Reason.NODE_NOT_READY, "node \"node-1\" is not Ready (no Ready condition)"),
                failure("a node being deleted", w -> w.node.editMetadata().withDeletionTimestamp("2026-03-01T11:00:00Z")
                        .endMetadata(), Reason.NODE_DELETING, "node \"node-1\" is being deleted"),
                failure("a node outside the trusted pools", w -> w.node.editMetadata()
                        .withLabels(Map.of("pool", "batch")).endMetadata(), Reason.NODE_UNTRUSTED,
                        "node \"node-1\" is not selected by the trustedNodeSelector of TrustDomain \"prod\""),
                failure("a pod that does not exist", w -> w.pod.editMetadata().withName("web-1").endMetadata(),
                        Reason.POD_NOT_FOUND, "pod demo/web-0 not found"),
                failure("a pod recreated under the same name", w -> w.pod.editMetadata().withUid("new-uid")
                        .endMetadata(), Reason.POD_UID_MISMATCH, "pod demo/web-0 has UID \"new-uid\", the request "
                        + "names \"" + Workloads.POD_UID + "\" (was the pod recreated?)"),
                failure("a pod of another service account", w -> w.pod.editSpec().withServiceAccountName("admin")
                        .endSpec(), Reason.POD_SA_MISMATCH, "pod demo/web-0 runs as service account \"admin\", the "
                        + "request names \"web\""),
                failure("a pod without a service account name runs as default", w -> w.pod.editSpec()
                        .withServiceAccountName(null).endSpec(), Reason.POD_SA_MISMATCH,
                        "pod demo/web-0 runs as service account \"default\", the request names \"web\""),
                failure("a pod on another node", w -> w.pod.editSpec().withNodeName("node-2").endSpec(),
                        Reason.POD_NODE_MISMATCH, "pod demo/web-0 is on node \"node-2\", the request comes from node "
                        + "\"node-1\""),
                failure("a pod not scheduled yet", w -> w.pod.editSpec().withNodeName(null).endSpec(),
                        Reason.POD_NODE_MISMATCH, "pod demo/web-0 is not scheduled, the request comes from node "
                        + "\"node-1\""),
                failure("a pod that has finished", w -> w.pod.editStatus().withPhase("Succeeded").endStatus(),
                        Reason.POD_PHASE_NOT_ALLOWED, "pod demo/web-0 is Succeeded; policy demo/web allows "
                        + "[Running, Pending]"),
                failure("a pod being deleted", w -> w.pod.editMetadata().withDeletionTimestamp("2026-03-01T11:00:00Z")
                        .endMetadata(), Reason.POD_TERMINATING, "pod demo/web-0 is terminating"),
                failure("a pod no policy selects", w -> w.pod.editMetadata().withLabels(Map.of("app", "api"))
                        .endMetadata(), Reason.NO_POLICY, "no WorkloadCertificatePolicy in namespace demo covers pod "
                        + "web-0 (service account web)"),
                failure("a pod whose service account the policy does not name", w -> w.policies = List.of(
                        Workloads.policy("serviceAccountNames: [api]")), Reason.NO_POLICY,
                        "no WorkloadCertificatePolicy in namespace demo covers pod web-0 (service account web)"),
                failure("a pod two policies select", w -> w.policies.add(WorkloadCertificatePolicy.of("demo",
                        "all-pods", Workloads.policySpec("trustDomain: prod\npodSelector: {}"))),
                        Reason.AMBIGUOUS_POLICY, "pod demo/web-0 is covered by 2 WorkloadCertificatePolicies "
                        + "(all-pods, web); exactly one may cover a pod"),
                failure("a policy that bypassed validation", w -> w.policies = List.of(Workloads.policy(
                        "spiffeIdTemplate: \"spiffe://{{trustDomain}}/ns/kube-system/sa/admin\"")),
                        Reason.POLICY_INVALID, "policy demo/web is invalid: spec.spiffeIdTemplate: must start with "
                        + "spiffe://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}}; got "
                        + "\"spiffe://{{trustDomain}}/ns/kube-system/sa/admin\""),
                failure("an image pulled by tag where digests are required", w -> {
                    w.policies = List.of(Workloads.policy("attestation: {requireImageDigests: true}"));
                    w.pod.editSpec().addNewInitContainer().withName("init").withImage("busybox:1.36").endInitContainer()
                            .endSpec();
                }, Reason.IMAGE_NOT_PINNED, "container \"init\" image \"busybox:1.36\" is not pinned by digest "
                        + "(policy demo/web requires image@sha256:<digest>)"),
                failure("a node without the labels the policy requires", w -> w.policies = List.of(Workloads.policy(
                        "attestation: {nodeLabels: {pool: trusted, zone: secure, tier: gold}}")),
                        Reason.NODE_LABELS_MISSING, "node \"node-1\" lacks labels required by policy demo/web: "
                        + "tier=gold, zone=secure"),
                failure("a policy naming a trust domain that does not exist", w -> w.trustDomain = null,
                        Reason.TRUST_DOMAIN_MISSING, "policy demo/web names TrustDomain \"prod\", which does not "
                        + "exist"),
                failure("a key type the policy does not allow", w -> w.keyType = KeyType.RSA2048,
                        Reason.KEY_TYPE_NOT_ALLOWED, "policy demo/web allows [ECDSAP256, ED25519] keys, not RSA2048"));
    }

    static Arguments failure(String description, Consumer<World> change, Reason reason, String message) {
        return Arguments.of(description, change, reason, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    @DisplayName("every broken link fails attestation with its reason and a message naming what was found")
    void fails(String description, Consumer<World> change, Reason reason, String message) {
        World world = new World();
        change.accept(world);

        assertThat(world.attest()).isEqualTo(new Attestation.Failed(reason, message));
    }

    @Test
    @DisplayName("the table covers every failure reason")
    void everyReasonCovered() {
        Set<Reason> covered = failures().map(a -> (Reason) a.get()[2]).collect(Collectors.toSet());

        assertThat(covered).isEqualTo(EnumSet.allOf(Reason.class));
    }

    @Test
    @DisplayName("reasons have snake_case wire names for status denials and metrics")
    void wireNames() {
        assertThat(Reason.NODE_UID_MISMATCH.wireName()).isEqualTo("node_uid_mismatch");
        assertThat(Reason.AMBIGUOUS_POLICY.wireName()).isEqualTo("ambiguous_policy");
    }

    @Test
    @DisplayName("a Pending pod is attested by default: the kubelet asks before containers start")
    void pendingPod() {
        World world = new World();
        world.pod.editStatus().withPhase("Pending").endStatus();

        assertThat(world.attest()).isInstanceOf(Attestation.Attested.class);
    }
}
