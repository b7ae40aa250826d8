package dev.twofold.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The workload records read and write as users and the operator exchange them with the API server. */
class WorkloadSerializationTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Test
    @DisplayName("a TrustDomain reads into records; the CA is a one-of and workloadTtl.default maps to defaultTtl")
    void readsTrustDomain() {
        TrustDomain trustDomain = SERIALIZATION.unmarshal("""
                apiVersion: twofold.dev/v1alpha1
                kind: TrustDomain
                metadata: {name: prod}
                spec:
                  trustDomain: prod.example.com
                  ca:
                    intermediate:
                      secretRef: {name: corp-root, namespace: twofold-system}
                  workloadTtl: {default: 30m}
                status:
                  currentCA: {fingerprint: "%s", notAfter: "2027-01-01T00:00:00Z"}
                """.formatted("ab".repeat(32)), TrustDomain.class);

        TrustDomainSpec spec = trustDomain.getSpec();
        assertThat(spec.ca().mode()).containsInstanceOf(CaSource.Intermediate.class);
        assertThat(((CaSource.Intermediate) spec.ca().mode().orElseThrow()).secretRef())
                .isEqualTo(new SecretReference("corp-root", "twofold-system"));
        assertThat(spec.workloadTtl()).isEqualTo(new WorkloadTtl("10m", "24h", "30m"));
        assertThat(spec.caLifetime()).isEqualTo("8760h");
        assertThat(spec.bundle()).isEqualTo(TrustBundleTargets.DEFAULTS);
        assertThat(trustDomain.getStatus().currentCA().notAfter()).isEqualTo("2027-01-01T00:00:00Z");
    }

    @Test
    @DisplayName("an absent CA means self-signed, written back as selfSigned: {}")
    void selfSignedRoundTrip() {
        TrustDomainSpec spec = SERIALIZATION.unmarshal("trustDomain: td", TrustDomainSpec.class);

        assertThat(spec.ca().mode()).containsInstanceOf(CaSource.SelfSigned.class);
        String yaml = SERIALIZATION.asYaml(spec);
        assertThat(yaml).contains("selfSigned: {}").contains("default: \"1h\"");
        assertThat(SERIALIZATION.unmarshal(yaml, TrustDomainSpec.class)).isEqualTo(spec);
    }

    @Test
    @DisplayName("both or neither CA choice is no mode at all (the validator reports it)")
    void invalidChoice() {
        assertThat(new CaSource(null, null).mode()).isEmpty();
        assertThat(new CaSource(new CaSource.SelfSigned(), new CaSource.Intermediate(null)).mode()).isEmpty();
    }

    @Test
    @DisplayName("a WorkloadCertificatePolicy reads with its defaults and status maps")
    void readsPolicy() {
        WorkloadCertificatePolicy policy = SERIALIZATION.unmarshal("""
                apiVersion: twofold.dev/v1alpha1
                kind: WorkloadCertificatePolicy
                metadata: {name: web, namespace: demo}
                spec:
                  trustDomain: prod
                  podSelector: {matchLabels: {app: web}}
                  dnsNameTemplates: ["{{serviceAccount}}.{{namespace}}.svc"]
                status:
                  certificatesIssued: 3
                  denials: {pod_not_found: 2}
                """, WorkloadCertificatePolicy.class);

        WorkloadCertificatePolicySpec spec = policy.getSpec();
        assertThat(spec.spiffeIdTemplate()).isEqualTo(WorkloadCertificatePolicySpec.DEFAULT_SPIFFE_ID_TEMPLATE);
        assertThat(spec.keyTypes()).containsExactly(KeyType.ECDSAP256, KeyType.ED25519);
        assertThat(spec.attestation().podPhases()).containsExactly(PodPhase.Running, PodPhase.Pending);
        assertThat(spec.attestation().requireImageDigests()).isFalse();
        assertThat(spec.serviceAccountNames()).isEmpty();
        assertThat(spec.podSelector().getMatchLabels()).isEqualTo(Map.of("app", "web"));
        assertThat(spec.dnsNameTemplates()).isEqualTo(List.of("{{serviceAccount}}.{{namespace}}.svc"));
        assertThat(policy.getStatus().denials()).containsEntry("pod_not_found", 2L);
        assertThat(policy.getStatus().certificatesIssued()).isEqualTo(3L);
    }
}
