package dev.twofold.e2e.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twofold.api.v1alpha1.MfaPolicy;
import dev.twofold.e2e.env.TwofoldComponents;
import dev.twofold.e2e.keycloak.DemoUser;
import dev.twofold.e2e.pki.Pki;
import dev.twofold.e2e.pki.TlsContexts;
import dev.twofold.e2e.support.Command;
import dev.twofold.e2e.support.Kubectl;
import dev.twofold.e2e.support.RealCluster;
import dev.twofold.e2e.support.TestCluster;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How Twofold behaves as a component of the cluster: live policy changes, outages, bad input, forged evidence. */
@ExtendWith(RealCluster.class)
class MfaOperationsE2E {
    private static final String CONFIGURATION = "twofold-mfa";

    @BeforeAll
    static void samples(TestCluster cluster) {
        cluster.demoWorkload();
        cluster.fixtures().namespace("edits");
    }

    @Test
    void a_policy_edit_takes_effect_within_two_seconds(TestCluster cluster) {
        cluster.applyPolicy("""
                apiVersion: twofold.dev/v1alpha1
                kind: MfaPolicy
                metadata:
                  name: edit-me
                spec:
                  match:
                    rules:
                    - apiGroups: [""]
                      resources: ["configmaps"]
                      verbs: ["create"]
                    namespaceSelector:
                      matchLabels:
                        kubernetes.io/metadata.name: edits
                  require:
                    amr:
                      anyOf: [["otp"]]
                """);
        try {
            Kubectl bob = cluster.kubectlWithToken(cluster.oidc().directGrant(DemoUser.BOB).idToken());
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(bob.run("create", "configmap", "-n", "edits", "before-" + System.nanoTime()).output())
                            .contains("MfaPolicy \"edit-me\" requires a second factor"));

            cluster.admin().resources(MfaPolicy.class).withName("edit-me")
                    .edit(p -> withEnforcement(p, "Disabled"));

            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(bob.run("create", "configmap", "-n", "edits", "after-" + System.nanoTime()).exitCode()).isZero());
        } finally {
            cluster.deletePolicy("edit-me");
        }
    }

    @Test
    void deleting_every_policy_empties_the_webhook_rules_and_applying_them_again_restores_them(TestCluster cluster) {
        assertThat(rules(cluster)).isNotEmpty();
        try {
            cluster.admin().resources(MfaPolicy.class).delete();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(rules(cluster)).isEmpty());
        } finally {
            cluster.applySamples();
            cluster.awaitPoliciesReady("exec-needs-mfa", "secret-reads-need-mfa", "rbac-writes-need-mfa", "configmap-writes-audit");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(rules(cluster)).isNotEmpty());
    }

    @Test
    void with_the_webhook_stopped_matched_requests_fail_closed_and_others_keep_working(TestCluster cluster) {
        Kubectl bob = cluster.kubectlWithToken(cluster.oidc().directGrant(DemoUser.BOB).idToken());
        Kubectl alice = cluster.kubectlWithToken(cluster.oidc().authorizationCodeLogin(DemoUser.ALICE, Map.of()).idToken());
        cluster.twofold().stopWebhook();
        try {
            Command.Result exec = alice.run("exec", "-n", "demo", "web", "--", "true");
            assertThat(exec.exitCode()).isNotZero();
            assertThat(exec.output()).contains("failed calling webhook \"mfa.twofold.dev\"");

            Command.Result secret = alice.run("get", "secret", "-n", "demo", "db-password");
            assertThat(secret.exitCode()).isNotZero();
            assertThat(secret.output()).contains("/authorize", "connection refused").doesNotContain("s3cret");

            Command.Result pods = bob.run("get", "pods", "-n", "demo");
            assertThat(pods.exitCode()).isZero();
        } finally {
            cluster.twofold().restartWebhook();
        }
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("/admission/mfa", "not json"),
                Arguments.of("/admission/mfa", "{}"),
                Arguments.of("/admission/mfa", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}"),
                Arguments.of("/admission/mfa", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":42}}"),
                Arguments.of("/authorize", "[1, 2, 3]"),
                Arguments.of("/authorize", "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{}}"),
                Arguments.of("/authorize", "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\"}"));
    }

    @ParameterizedTest(name = "{0} answers 400 with a JSON error to {1}")
    @MethodSource("malformedBodies")
    void malformed_reviews_get_a_400_with_a_json_error_and_no_stack_trace(String path, String body, TestCluster cluster)
            throws Exception {
        String caPem = new String(Base64.getDecoder().decode(cluster.admin().secrets().inNamespace(TwofoldComponents.NAMESPACE)
                .withName(TwofoldComponents.CA_SECRET).get().getData().get("ca.crt")), StandardCharsets.UTF_8);
        try (HttpClient http = HttpClient.newBuilder().sslContext(TlsContexts.trusting(caPem, Optional.empty())).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("https://127.0.0.1:" + cluster.twofold().ports().webhook() + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(response.body()).startsWith("{\"error\":").doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void a_cluster_admin_by_rbac_cannot_impersonate_bob_with_forged_second_factor_evidence(TestCluster cluster)
            throws Exception {
        cluster.admin().rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
                .withNewMetadata().withName("rbac-admin-is-cluster-admin").endMetadata()
                .addNewSubject().withKind("User").withApiGroup("rbac.authorization.k8s.io").withName("rbac-admin").endSubject()
                .withNewRoleRef().withKind("ClusterRole").withApiGroup("rbac.authorization.k8s.io").withName("cluster-admin").endRoleRef()
                .build()).serverSideApply();
        Pki.Issued rbacAdmin = cluster.controlPlane().pki().clientCertificate("rbac-admin", List.of());
        var tls = TlsContexts.trusting(cluster.controlPlane().pki().serverCa().certificatePem(), Optional.of(rbacAdmin));
        try (HttpClient http = HttpClient.newBuilder().sslContext(tls).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(cluster.controlPlane().url()
                            + "/api/v1/namespaces/demo/secrets/db-password"))
                    .header("Impersonate-User", "oidc:bob")
                    .header("Impersonate-Extra-twofold.dev%2Famr", "otp")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("cannot impersonate resource \\\"userextras/twofold.dev/amr\\\"", "Twofold")
                    .doesNotContain("s3cret");
        }
    }

    private static MfaPolicy withEnforcement(MfaPolicy policy, String enforcement) {
        var spec = policy.getSpec();
        policy.setSpec(new dev.twofold.api.v1alpha1.MfaPolicySpec(
                dev.twofold.api.v1alpha1.Enforcement.valueOf(enforcement.toUpperCase()), spec.match(), spec.require(), spec.stepUpHint()));
        return policy;
    }

    private static List<?> rules(TestCluster cluster) {
        ValidatingWebhookConfiguration configuration = cluster.admin().admissionRegistration().v1()
                .validatingWebhookConfigurations().withName(CONFIGURATION).get();
        if (configuration == null) return List.of();
        return configuration.getWebhooks().stream().map(ValidatingWebhook::getRules).filter(r -> r != null)
                .flatMap(List::stream).toList();
    }
}
