package dev.twofold.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofold.e2e.keycloak.DemoUser;
import dev.twofold.e2e.support.RealCluster;
import dev.twofold.e2e.support.TestCluster;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Keycloak's real tokens through the API server's structured authentication: second-factor claims become extras. */
@ExtendWith(RealCluster.class)
class OidcAuthenticationIT {

    @Test
    void alice_with_password_and_totp_authenticates_with_otp_in_her_amr(TestCluster cluster) {
        UserInfo alice = whoami(cluster, cluster.oidc().directGrant(DemoUser.ALICE).idToken());

        assertThat(alice.getUsername()).isEqualTo("oidc:alice");
        assertThat(alice.getExtra().get("twofold.dev/amr")).contains("pwd", "otp");
        assertThat(alice.getExtra().get("twofold.dev/acr")).hasSize(1);
        assertThat(alice.getExtra().get("twofold.dev/iss")).containsExactly(cluster.environment().issuerUrl());
    }

    @Test
    void a_direct_grant_carries_no_auth_time(TestCluster cluster) {
        UserInfo alice = whoami(cluster, cluster.oidc().directGrant(DemoUser.ALICE).idToken());

        assertThat(alice.getExtra()).doesNotContainKey("twofold.dev/auth-time");
    }

    @Test
    void an_authorization_code_login_carries_a_fresh_auth_time(TestCluster cluster) {
        Instant before = Instant.now().minusSeconds(5);
        String token = cluster.oidc().authorizationCodeLogin(DemoUser.ALICE, Map.of("max_age", "0")).idToken();

        UserInfo alice = whoami(cluster, token);

        assertThat(alice.getExtra().get("twofold.dev/amr")).contains("pwd", "otp");
        Instant authTime = Instant.ofEpochSecond(Long.parseLong(alice.getExtra().get("twofold.dev/auth-time").getFirst()));
        assertThat(authTime).isBetween(before, Instant.now().plusSeconds(5));
    }

    @Test
    void bob_with_a_password_only_has_just_pwd_in_his_amr(TestCluster cluster) {
        UserInfo bob = whoami(cluster, cluster.oidc().directGrant(DemoUser.BOB).idToken());

        assertThat(bob.getUsername()).isEqualTo("oidc:bob");
        assertThat(bob.getExtra().get("twofold.dev/amr")).containsExactly("pwd");
    }

    @Test
    void carol_gets_her_idp_group_with_the_oidc_prefix(TestCluster cluster) {
        UserInfo carol = whoami(cluster, cluster.oidc().directGrant(DemoUser.CAROL).idToken());

        assertThat(carol.getGroups()).contains("oidc:platform-admins", "system:authenticated");
    }

    @Test
    void a_token_with_a_broken_signature_is_rejected_with_401(TestCluster cluster) {
        String token = cluster.oidc().directGrant(DemoUser.ALICE).idToken();
        String[] parts = token.split("\\.");
        char first = parts[2].charAt(0);
        String forged = parts[0] + "." + parts[1] + "." + (first == 'A' ? 'B' : 'A') + parts[2].substring(1);

        assertThatThrownBy(() -> whoami(cluster, forged))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
    }

    @Test
    void a_token_with_a_forged_amr_claim_is_rejected_with_401(TestCluster cluster) {
        String token = cluster.oidc().directGrant(DemoUser.BOB).idToken();
        String[] parts = token.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"amr\":[\"pwd\"]", "\"amr\":[\"pwd\",\"otp\"]");
        assertThat(payload).contains("\"otp\"");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];

        assertThatThrownBy(() -> whoami(cluster, forged))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
    }

    private static UserInfo whoami(TestCluster cluster, String token) {
        try (KubernetesClient client = cluster.clientWithToken("user", token)) {
            SelfSubjectReview review = client.resource(new SelfSubjectReview()).create();
            return review.getStatus().getUserInfo();
        }
    }

}
