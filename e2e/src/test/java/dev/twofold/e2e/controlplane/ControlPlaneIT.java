package dev.twofold.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.twofold.e2e.pki.Pki;
import dev.twofold.e2e.support.RealCluster;
import dev.twofold.e2e.support.TestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealCluster.class)
class ControlPlaneIT {
    private static final ResourceDefinitionContext PCR = new ResourceDefinitionContext.Builder()
            .withGroup("certificates.k8s.io").withVersion("v1beta1").withKind("PodCertificateRequest")
            .withPlural("podcertificaterequests").withNamespaced(true).build();

    private static Pod podOnA;
    private static Pod podOnB;

    @BeforeAll
    static void nodesAndPods(TestCluster cluster) {
        var fixtures = cluster.fixtures();
        fixtures.namespace("cp-it");
        fixtures.readyNode("node-a", Map.of("pool", "trusted"));
        fixtures.readyNode("node-b", Map.of("pool", "trusted"));
        fixtures.serviceAccount("cp-it", "app");
        podOnA = fixtures.pod("cp-it", "app-on-a", "app", "node-a", Map.of("app", "demo"), true);
        podOnB = fixtures.pod("cp-it", "app-on-b", "app", "node-b", Map.of("app", "demo"), true);
    }

    @Test
    void the_api_server_reports_kubernetes_1_35_4(TestCluster cluster) {
        assertThat(cluster.admin().getKubernetesVersion().getGitVersion()).isEqualTo("v1.35.4");
    }

    @Test
    void an_applied_crd_becomes_established(TestCluster cluster) {
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("widgets.it.twofold.dev").endMetadata()
                .withNewSpec().withGroup("it.twofold.dev").withScope("Namespaced")
                .withNewNames().withKind("Widget").withPlural("widgets").withSingular("widget").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                .endVersion().endSpec().build();
        cluster.admin().apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(cluster.admin().apiextensions().v1().customResourceDefinitions()
                        .withName("widgets.it.twofold.dev").get().getStatus().getConditions())
                        .anySatisfy(c -> {
                            assertThat(c.getType()).isEqualTo("Established");
                            assertThat(c.getStatus()).isEqualTo("True");
                        }));
    }

    @Test
    void a_pod_bound_token_carries_pod_and_node_identity_in_token_review_extras(TestCluster cluster) {
        String token = cluster.fixtures().podBoundToken(podOnA, "twofold", 600);

        TokenReview review = cluster.admin().tokenReviews().create(new TokenReviewBuilder()
                .withNewSpec().withToken(token).withAudiences("twofold").endSpec().build());

        assertThat(review.getStatus().getAuthenticated()).isTrue();
        assertThat(review.getStatus().getUser().getUsername()).isEqualTo("system:serviceaccount:cp-it:app");
        String nodeUid = cluster.admin().nodes().withName("node-a").get().getMetadata().getUid();
        assertThat(review.getStatus().getUser().getExtra())
                .containsEntry("authentication.kubernetes.io/pod-name", java.util.List.of("app-on-a"))
                .containsEntry("authentication.kubernetes.io/pod-uid", java.util.List.of(podOnA.getMetadata().getUid()))
                .containsEntry("authentication.kubernetes.io/node-name", java.util.List.of("node-a"))
                .containsEntry("authentication.kubernetes.io/node-uid", java.util.List.of(nodeUid));
    }

    @Test
    void a_token_for_another_audience_is_not_authenticated(TestCluster cluster) {
        String token = cluster.fixtures().podBoundToken(podOnA, "somebody-else", 600);

        TokenReview review = cluster.admin().tokenReviews().create(new TokenReviewBuilder()
                .withNewSpec().withToken(token).withAudiences("twofold").endSpec().build());

        assertThat(review.getStatus().getAuthenticated()).isNotEqualTo(Boolean.TRUE);
        assertThat(review.getStatus().getError()).contains("audience");
    }

    @Test
    void a_node_may_request_a_pod_certificate_for_its_own_pod(TestCluster cluster) throws Exception {
        try (KubernetesClient nodeA = cluster.nodeClient("node-a")) {
            GenericKubernetesResource created = nodeA.genericKubernetesResources(PCR).inNamespace("cp-it")
                    .resource(podCertificateRequest(cluster, podOnA, "node-a")).create();

            assertThat(created.getMetadata().getUid()).isNotBlank();
            assertThat(created.<String>get("spec", "nodeName")).isEqualTo("node-a");
        }
    }

    @Test
    void a_node_is_forbidden_to_request_a_pod_certificate_for_a_pod_on_another_node(TestCluster cluster) {
        try (KubernetesClient nodeA = cluster.nodeClient("node-a")) {
            assertThatThrownBy(() -> nodeA.genericKubernetesResources(PCR).inNamespace("cp-it")
                    .resource(podCertificateRequest(cluster, podOnB, "node-b")).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }
    }

    /** A request as the kubelet builds it: a fresh key, and a proof of possession signing the pod's UID. */
    private static GenericKubernetesResource podCertificateRequest(TestCluster cluster, Pod pod, String node) throws Exception {
        KeyPair key = Pki.newKeyPair();
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key.getPrivate());
        signer.update(pod.getMetadata().getUid().getBytes(StandardCharsets.UTF_8));
        var sa = cluster.admin().serviceAccounts().inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getSpec().getServiceAccountName()).get();
        var nodeObject = cluster.admin().nodes().withName(node).get();
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("certificates.k8s.io/v1beta1").withKind("PodCertificateRequest")
                .withNewMetadata().withGenerateName(pod.getMetadata().getName() + "-").endMetadata()
                .addToAdditionalProperties("spec", Map.of(
                        "signerName", "twofold.dev/workload",
                        "podName", pod.getMetadata().getName(),
                        "podUID", pod.getMetadata().getUid(),
                        "serviceAccountName", sa.getMetadata().getName(),
                        "serviceAccountUID", sa.getMetadata().getUid(),
                        "nodeName", node,
                        "nodeUID", nodeObject.getMetadata().getUid(),
                        "pkixPublicKey", Base64.getEncoder().encodeToString(key.getPublic().getEncoded()),
                        "proofOfPossession", Base64.getEncoder().encodeToString(signer.sign())))
                .build();
    }
}
