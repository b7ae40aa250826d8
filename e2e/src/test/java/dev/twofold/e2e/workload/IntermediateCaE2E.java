package dev.twofold.e2e.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static dev.twofold.e2e.workload.WorkloadCertificates.certificates;

import dev.twofold.e2e.pki.Pki;
import dev.twofold.e2e.support.RealCluster;
import dev.twofold.e2e.support.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A TrustDomain whose CA is an intermediate signed by the user's own root (from a Secret): the bundle carries the
 * root only, and issued PodCertificateRequest chains carry leaf and intermediate, which the API server accepts.
 */
@ExtendWith(RealCluster.class)
class IntermediateCaE2E {

    private static final ResourceDefinitionContext PCR = new ResourceDefinitionContext.Builder()
            .withGroup("certificates.k8s.io").withVersion("v1beta1").withKind("PodCertificateRequest")
            .withPlural("podcertificaterequests").withNamespaced(true).build();
    private static final String NS = "int-e2e";
    private static final String NODE = "int-node-a";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void an_intermediate_from_the_users_root_signs_and_the_chain_validates_to_that_root(TestCluster cluster)
            throws Exception {
        var fixtures = cluster.fixtures();
        fixtures.namespace(NS);
        fixtures.readyNode(NODE, Map.of());
        fixtures.serviceAccount(NS, "api");
        Pki.Issued root = Pki.newCa("int-e2e-root", Duration.ofDays(3650));
        cluster.admin().secrets().inNamespace(NS).resource(new SecretBuilder()
                .withNewMetadata().withName("corp-root").withNamespace(NS).endMetadata()
                .addToStringData("tls.crt", root.certificatePem())
                .addToStringData("tls.key", root.privateKeyPem())
                .build()).serverSideApply();
        String manifest = """
                apiVersion: twofold.dev/v1alpha1
                kind: TrustDomain
                metadata:
                  name: int-e2e
                spec:
                  trustDomain: int.e2e.test
                  ca:
                    intermediate:
                      secretRef: {name: corp-root, namespace: %s}
                  bundle:
                    configMapName: int-e2e-bundle
                    namespaceSelector:
                      matchLabels: {kubernetes.io/metadata.name: %s}
                ---
                apiVersion: twofold.dev/v1alpha1
                kind: WorkloadCertificatePolicy
                metadata:
                  name: api
                  namespace: %s
                spec:
                  trustDomain: int-e2e
                  podSelector: {}
                """.formatted(NS, NS, NS);
        cluster.admin().load(new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8)))
                .forceConflicts().serverSideApply();
        Pod pod = fixtures.pod(NS, "api-1", "api", NODE, Map.of("app", "api"), true);

        // The bundle is the user's root alone.
        ConfigMap bundle = await().atMost(WAIT).until(
                () -> cluster.admin().configMaps().inNamespace(NS).withName("int-e2e-bundle").get(),
                m -> m != null && m.getData() != null && m.getData().get("ca.crt") != null);
        assertThat(certificates(bundle.getData().get("ca.crt"))).containsExactly(root.certificate());

        KeyPair key = Pki.newKeyPair();
        GenericKubernetesResource created;
        try (KubernetesClient kubelet = cluster.nodeClient(NODE)) {
            created = kubelet.genericKubernetesResources(PCR).inNamespace(NS).resource(request(cluster, pod, key))
                    .create();
        }
        GenericKubernetesResource issued = await().atMost(WAIT).until(() -> cluster.admin()
                .genericKubernetesResources(PCR).inNamespace(NS).withName(created.getMetadata().getName()).get(),
                r -> r.get("status", "conditions") != null);
        assertThat(issued.<List<Map<String, Object>>>get("status", "conditions"))
                .singleElement().satisfies(c -> assertThat(c).containsEntry("type", "Issued"));

        List<X509Certificate> chain = certificates(issued.get("status", "certificateChain"));
        assertThat(chain).hasSize(2); // leaf, then the intermediate (never the root)
        assertThat(chain.get(1).getIssuerX500Principal()).isEqualTo(root.certificate().getSubjectX500Principal());
        assertThat(chain.get(0).getSubjectAlternativeNames().iterator().next().get(1))
                .isEqualTo("spiffe://int.e2e.test/ns/" + NS + "/sa/api");
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root.certificate(), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
    }

    private static GenericKubernetesResource request(TestCluster cluster, Pod pod, KeyPair key) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key.getPrivate());
        signer.update(pod.getMetadata().getUid().getBytes(StandardCharsets.UTF_8));
        var sa = cluster.admin().serviceAccounts().inNamespace(NS).withName("api").get();
        var node = cluster.admin().nodes().withName(NODE).get();
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("certificates.k8s.io/v1beta1").withKind("PodCertificateRequest")
                .withNewMetadata().withGenerateName("api-1-").withNamespace(NS).endMetadata()
                .addToAdditionalProperties("spec", Map.of(
                        "signerName", "twofold.dev/workload",
                        "podName", pod.getMetadata().getName(),
                        "podUID", pod.getMetadata().getUid(),
                        "serviceAccountName", "api",
                        "serviceAccountUID", sa.getMetadata().getUid(),
                        "nodeName", NODE,
                        "nodeUID", node.getMetadata().getUid(),
                        "pkixPublicKey", Base64.getEncoder().encodeToString(key.getPublic().getEncoded()),
                        "proofOfPossession", Base64.getEncoder().encodeToString(signer.sign())))
                .build();
    }

}
