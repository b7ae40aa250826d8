package dev.twofold.e2e.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twofold.e2e.keycloak.BrowserSession;
import dev.twofold.e2e.keycloak.DemoUser;
import dev.twofold.e2e.support.Command;
import dev.twofold.e2e.support.Kubectl;
import dev.twofold.e2e.support.RealCluster;
import dev.twofold.e2e.support.TestCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The human path end to end: real Keycloak logins, real kubectl, the API server calling Twofold's admission and
 * authorization webhooks over TLS, with the sample MfaPolicies of {@code e2e/samples/}.
 */
@ExtendWith(RealCluster.class)
class MfaEnforcementE2E {
    private static final String HINT = "log in with your authenticator app: ./twofold dev token <you> --fresh (kubelogin: --force-refresh)";
    private static final String NEED = "[[otp], [hwk], [mfa]]";

    @BeforeAll
    static void samplesAndAPodToExecInto(TestCluster cluster) {
        cluster.demoWorkload();
    }

    @Test
    void bob_without_a_second_factor_is_denied_exec_with_the_policy_what_is_missing_and_how_to_step_up(TestCluster cluster) {
        Command.Result exec = bob(cluster).run("exec", "-n", "demo", "web", "--", "true");

        assertThat(exec.exitCode()).isNotZero();
        assertThat(exec.output()).contains("admission webhook \"mfa.twofold.dev\" denied the request: "
                + "Twofold: MfaPolicy \"exec-needs-mfa\" requires a second factor for connect pods/exec in namespace demo: "
                + "amr [pwd] satisfies none of " + NEED + "; auth_time absent, need authentication within 12h. Step up: " + HINT);
    }

    @Test
    void bob_is_denied_reading_a_secret_by_the_authorization_webhook(TestCluster cluster) {
        Command.Result get = bob(cluster).run("get", "secret", "-n", "demo", "db-password");

        assertThat(get.exitCode()).isNotZero();
        assertThat(get.output()).contains("secrets \"db-password\" is forbidden: User \"oidc:bob\" cannot get resource "
                + "\"secrets\" in API group \"\" in the namespace \"demo\": Twofold: MfaPolicy \"secret-reads-need-mfa\" "
                + "requires a second factor for get secrets in namespace demo: amr [pwd] satisfies none of " + NEED
                + ". Step up: " + HINT);
    }

    @Test
    void kubectl_auth_can_i_tells_bob_the_truth_about_secrets(TestCluster cluster) {
        Command.Result canI = bob(cluster).run("auth", "can-i", "get", "secrets", "-n", "demo");

        assertThat(canI.output().strip()).startsWith("no");
    }

    @Test
    void bob_is_denied_creating_a_clusterrolebinding(TestCluster cluster) {
        Command.Result create = bob(cluster).run("create", "clusterrolebinding", "bob-escalates",
                "--clusterrole=cluster-admin", "--user=oidc:bob");

        assertThat(create.exitCode()).isNotZero();
        assertThat(create.output()).contains("denied the request: Twofold: MfaPolicy \"rbac-writes-need-mfa\" requires a "
                + "second factor for create clusterrolebindings.rbac.authorization.k8s.io at cluster scope: amr [pwd] "
                + "satisfies none of " + NEED + ". Step up: " + HINT);
    }

    @Test
    void bob_is_denied_a_server_side_dry_run_too(TestCluster cluster) {
        Command.Result create = bob(cluster).run("create", "clusterrolebinding", "bob-dry-run",
                "--clusterrole=cluster-admin", "--user=oidc:bob", "--dry-run=server");

        assertThat(create.exitCode()).isNotZero();
        assertThat(create.output()).contains("MfaPolicy \"rbac-writes-need-mfa\" requires a second factor");
    }

    @Test
    void alice_with_password_and_totp_passes_admission_and_fails_only_for_want_of_a_kubelet(TestCluster cluster) {
        Command.Result exec = alice(cluster).run("exec", "-n", "demo", "web", "--", "true");

        assertThat(exec.exitCode()).isNotZero(); // there is no kubelet behind demo-node
        assertThat(exec.output()).doesNotContain("denied the request", "Twofold");
    }

    @Test
    void alice_reads_the_secret_and_creates_the_binding(TestCluster cluster) {
        Kubectl alice = alice(cluster);

        assertThat(alice.run("get", "secret", "-n", "demo", "db-password", "-o", "name").output()).contains("secret/db-password");
        Command.Result create = alice.run("create", "clusterrolebinding", "alice-binds", "--clusterrole=view",
                "--user=oidc:alice", "--dry-run=server");
        assertThat(create.exitCode()).isZero();
    }

    @Test
    void an_audit_policy_lets_bob_through_with_a_warning(TestCluster cluster) {
        Command.Result create = bob(cluster).run("create", "configmap", "-n", "demo", "audited-" + System.nanoTime(),
                "--from-literal=k=v");

        assertThat(create.exitCode()).isZero();
        assertThat(create.output()).contains("Warning: Twofold audit: MfaPolicy \"configmap-writes-audit\" would deny "
                + "create configmaps in namespace demo: amr [pwd] satisfies none of " + NEED + ".");
    }

    @Test
    void a_login_older_than_max_auth_age_is_denied_and_a_fresh_one_is_allowed(TestCluster cluster) {
        cluster.applyPolicy("""
                apiVersion: twofold.dev/v1alpha1
                kind: MfaPolicy
                metadata:
                  name: fresh-exec
                spec:
                  match:
                    rules:
                    - apiGroups: [""]
                      resources: ["pods/exec"]
                      verbs: ["*"]
                  require:
                    maxAuthAge: 5s
                """);
        try (BrowserSession browser = cluster.oidc().newBrowserSession()) {
            cluster.oidc().authorizationCodeLogin(browser, DemoUser.ALICE, Map.of());
            // the same browser session: Keycloak signs alice in again without asking, keeping the old auth_time
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                String sameSession = cluster.oidc().authorizationCodeLogin(browser, DemoUser.ALICE, Map.of()).idToken();
                Command.Result exec = cluster.kubectlWithToken(sameSession).run("exec", "-n", "demo", "web", "--", "true");
                assertThat(exec.output()).contains("MfaPolicy \"fresh-exec\" requires a second factor for connect pods/exec "
                        + "in namespace demo: auth_time").contains("exceeds maxAuthAge 5s");
            });
            String fresh = cluster.oidc().authorizationCodeLogin(browser, DemoUser.ALICE, Map.of("max_age", "0")).idToken();
            assertThat(cluster.kubectlWithToken(fresh).run("exec", "-n", "demo", "web", "--", "true").output())
                    .doesNotContain("denied the request");
        } finally {
            cluster.deletePolicy("fresh-exec");
        }
    }

    @Test
    void a_policy_requiring_acr_phr_denies_a_token_with_acr_1(TestCluster cluster) {
        cluster.applyPolicy("""
                apiVersion: twofold.dev/v1alpha1
                kind: MfaPolicy
                metadata:
                  name: phishing-resistant-secrets
                spec:
                  match:
                    rules:
                    - apiGroups: [""]
                      resources: ["secrets"]
                      verbs: ["get"]
                  require:
                    acr: ["phr", "phrh"]
                """);
        try {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(alice(cluster).run("get", "secret", "-n", "demo", "db-password").output())
                            .contains("Twofold: MfaPolicy \"phishing-resistant-secrets\" requires a second factor for get "
                                    + "secrets in namespace demo: acr \"1\" is not one of [phr, phrh]."));
        } finally {
            cluster.deletePolicy("phishing-resistant-secrets");
        }
    }

    private static Kubectl bob(TestCluster cluster) {
        return cluster.kubectlWithToken(cluster.oidc().directGrant(DemoUser.BOB).idToken());
    }

    /** Alice as kubelogin would sign her in: the authorization-code flow, so her token carries auth_time. */
    private static Kubectl alice(TestCluster cluster) {
        return cluster.kubectlWithToken(cluster.oidc().authorizationCodeLogin(DemoUser.ALICE, Map.of()).idToken());
    }
}
