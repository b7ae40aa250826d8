package dev.twofold.operator.workload;

import dev.twofold.api.v1alpha1.TrustDomain;
import dev.twofold.api.v1alpha1.TrustDomainSpec;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicySpec;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.Map;

/** Terse builders of the objects attestation and issuance read. Specs are YAML, as users write them. */
public final class Workloads {

    public static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    public static final String TRUST_DOMAIN = "prod.example.com";
    public static final String NAMESPACE = "demo";
    public static final String POD_UID = "0b9e8a42-6a0c-4bd4-9d1c-7b8c1f1e2d3a";
    public static final String NODE_UID = "5f1c2d3e-aaaa-4bbb-8ccc-111122223333";

    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private Workloads() {
    }

    public static TrustDomainSpec trustDomainSpec(String yaml) {
        return YAML.unmarshal(yaml, TrustDomainSpec.class);
    }

    /** TrustDomain "prod" for {@value #TRUST_DOMAIN} with extra spec lines. */
    public static TrustDomain trustDomain(String extraYaml) {
        return TrustDomain.of("prod", trustDomainSpec("trustDomain: " + TRUST_DOMAIN + "\n" + extraYaml));
    }

    public static TrustDomain trustDomain() {
        return trustDomain("");
    }

    public static WorkloadCertificatePolicySpec policySpec(String yaml) {
        return YAML.unmarshal(yaml, WorkloadCertificatePolicySpec.class);
    }

    /** Policy demo/web: trust domain "prod", pods labelled app=web, plus extra spec lines. */
    public static WorkloadCertificatePolicy policy(String extraYaml) {
        return WorkloadCertificatePolicy.of(NAMESPACE, "web",
                policySpec("trustDomain: prod\npodSelector: {matchLabels: {app: web}}\n" + extraYaml));
    }

    public static WorkloadCertificatePolicy policy() {
        return policy("");
    }

    public static WorkloadIdentity identity() {
        return new WorkloadIdentity(NAMESPACE, "web", "web-0", POD_UID, "node-1",
                Map.of("app", "web", "tier", "front"));
    }

    /** Pod demo/web-0 of service account web on node-1, Running, image pinned. */
    public static PodBuilder pod() {
        return new PodBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName("web-0").withUid(POD_UID)
                .withLabels(Map.of("app", "web", "tier", "front")).endMetadata()
                .withNewSpec().withServiceAccountName("web").withNodeName("node-1")
                .addNewContainer().withName("app").withImage("registry.example.com/web@sha256:" + "a".repeat(64))
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus();
    }

    /** Ready node-1 in pool "trusted". */
    public static NodeBuilder node() {
        return new NodeBuilder()
                .withNewMetadata().withName("node-1").withUid(NODE_UID)
                .withLabels(Map.of("pool", "trusted", "kubernetes.io/os", "linux")).endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus();
    }

    public static Pod readyPod() {
        return pod().build();
    }

    public static Node readyNode() {
        return node().build();
    }
}
