package dev.twofold.e2e.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twofold.api.v1alpha1.OidcIssuer;
import dev.twofold.e2e.env.LocalEnvironment;
import dev.twofold.e2e.keycloak.DemoUser;
import dev.twofold.e2e.keycloak.RealmKeys;
import dev.twofold.e2e.support.RealCluster;
import dev.twofold.e2e.support.TestCluster;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Twofold as the cluster's token authenticator (the API server's {@code --authentication-token-webhook-config-file}
 * points at {@code /authenticate}), against the real Keycloak: its issuer status, key rotation and an IdP outage.
 * Runs in the failsafe execution that starts the cluster that way.
 */
@ExtendWith(RealCluster.class)
class TokenWebhookE2E {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void onlyWhenTwofoldAuthenticates() {
        assumeTrue(TestCluster.authenticationMode() == LocalEnvironment.AuthenticationMode.TWOFOLD_WEBHOOK,
                "this cluster authenticates through the API server's own JWT authenticator");
    }

    @Test
    void the_oidc_issuer_reports_its_discovery_and_keys(TestCluster cluster) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            OidcIssuer issuer = cluster.admin().resources(OidcIssuer.class).withName("keycloak").get();
            assertThat(issuer.getStatus()).isNotNull();
            assertThat(issuer.getStatus().conditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("True");
            });
            assertThat(issuer.getStatus().keyIds()).isNotEmpty();
        });
    }

    @Test
    void tokens_keep_authenticating_across_a_realm_key_rotation_without_restarts(TestCluster cluster) {
        String before = cluster.oidc().directGrant(DemoUser.ALICE).idToken();
        assertThat(whoami(cluster, before).getUsername()).isEqualTo("oidc:alice");
        RealmKeys keys = new RealmKeys(cluster.environment().keycloak().adminApi());

        String rotated = keys.addActiveRsaKey("rotated-" + System.nanoTime(), 1000);
        String after = cluster.oidc().directGrant(DemoUser.ALICE).idToken();

        assertThat(kid(after)).isNotEqualTo(kid(before));
        assertThat(whoami(cluster, after).getExtra().get("twofold.dev/amr")).contains("pwd", "otp");
        assertThat(whoami(cluster, before).getUsername()).as("a token signed by the old, still published key")
                .isEqualTo("oidc:alice");

        keys.removeRsaKeysExcept(rotated);
        assertThat(whoami(cluster, cluster.oidc().directGrant(DemoUser.ALICE).idToken()).getUsername()).isEqualTo("oidc:alice");
    }

    @Test
    void an_idp_outage_keeps_tokens_issued_before_it_working(TestCluster cluster) {
        String token = cluster.oidc().directGrant(DemoUser.BOB).idToken();
        assertThat(whoami(cluster, token).getUsername()).isEqualTo("oidc:bob");

        cluster.environment().stopKeycloak();
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(whoami(cluster, token).getExtra().get("twofold.dev/amr")).containsExactly("pwd");
            }
        } finally {
            cluster.environment().startKeycloak();
        }
        assertThat(whoami(cluster, cluster.oidc().directGrant(DemoUser.BOB).idToken()).getUsername()).isEqualTo("oidc:bob");
    }

    private static UserInfo whoami(TestCluster cluster, String token) {
        try (KubernetesClient client = cluster.clientWithToken("user", token)) {
            return client.resource(new SelfSubjectReview()).create().getStatus().getUserInfo();
        }
    }

    private static String kid(String jwt) {
        try {
            return JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8))
                    .path("kid").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
