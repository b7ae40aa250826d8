package dev.twofold.webhook.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofold.webhook.oidc.AuthenticatedUser;
import dev.twofold.webhook.oidc.TokenAuthenticator;
import dev.twofold.webhook.oidc.VerificationFailure;
import dev.twofold.webhook.oidc.VerifiedToken;
import dev.twofold.webhook.server.JsonCodec;
import dev.twofold.webhook.server.Outcome;
import dev.twofold.webhook.server.Reply;
import dev.twofold.webhook.server.RequestRejected;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code POST /authenticate}: TokenReview in, TokenReview out, exact JSON. */
class TokenReviewEndpointTest {

    static final String GOOD = "good.token.value";
    static final VerifiedToken ALICE = new VerifiedToken("keycloak", new AuthenticatedUser("oidc:alice", "sub-1",
            List.of("oidc:admins"), Map.of("twofold.dev/amr", List.of("pwd", "otp"))), List.of("kubectl"),
            Instant.parse("2030-01-01T00:00:00Z"));
    static final TokenAuthenticator AUTHENTICATOR = token -> GOOD.equals(token) ? ALICE
            : new VerificationFailure.Expired(Instant.parse("2026-01-01T00:00:00Z"));

    final TokenReviewEndpoint endpoint = new TokenReviewEndpoint(AUTHENTICATOR,
            Set.of("https://kubernetes.default.svc"), new JsonCodec());

    private Reply review(String json) throws Exception {
        return endpoint.handle(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String body(Reply reply) {
        return new String(reply.body(), StandardCharsets.UTF_8);
    }

    private static String request(String token, String audiences) {
        return "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"" + token
                + "\"" + (audiences == null ? "" : ",\"audiences\":" + audiences) + "}}";
    }

    @Test
    @DisplayName("a valid token is authenticated with username, uid, groups and extra")
    void authenticated() throws Exception {
        Reply reply = review(request(GOOD, null));

        assertThat(body(reply)).isEqualTo("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
                + "\"status\":{\"authenticated\":true,\"user\":{\"username\":\"oidc:alice\",\"uid\":\"sub-1\","
                + "\"groups\":[\"oidc:admins\"],\"extra\":{\"twofold.dev/amr\":[\"pwd\",\"otp\"]}}}}");
        assertThat(reply.outcome()).isEqualTo(Outcome.of(Outcome.Kind.ALLOW, "authenticated"));
    }

    @Test
    @DisplayName("an invalid token is not authenticated, and the error names the reason without the token")
    void unauthenticated() throws Exception {
        Reply reply = review(request("bad.token.value", null));

        assertThat(body(reply)).isEqualTo("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
                + "\"status\":{\"authenticated\":false,\"error\":\"expired: token expired at 2026-01-01T00:00:00Z\"}}");
        assertThat(reply.outcome().reason()).isEqualTo("expired");
    }

    @Test
    @DisplayName("the API server's own audience in spec.audiences is honoured and echoed")
    void apiServerAudience() throws Exception {
        assertThat(body(review(request(GOOD, "[\"https://kubernetes.default.svc\"]"))))
                .contains("\"authenticated\":true").contains("\"audiences\":[\"https://kubernetes.default.svc\"]");
    }

    @Test
    @DisplayName("a requested audience in the token's aud is honoured")
    void tokenAudience() throws Exception {
        assertThat(body(review(request(GOOD, "[\"other\",\"kubectl\"]")))).contains("\"audiences\":[\"kubectl\"]");
    }

    @Test
    @DisplayName("requested audiences the token is not valid for are rejected as wrong_audience")
    void wrongAudience() throws Exception {
        Reply reply = review(request(GOOD, "[\"payments\"]"));
        assertThat(body(reply)).contains("\"authenticated\":false").contains(
                "\"error\":\"wrong_audience: the token is not valid for the requested audiences [\\\"payments\\\"]\"");
        assertThat(body(reply)).doesNotContain("oidc:alice");
    }

    @Test
    @DisplayName("v1beta1 reviews (older API server default) are answered in v1beta1")
    void v1beta1() throws Exception {
        assertThat(body(review(request(GOOD, null).replace("/v1\"", "/v1beta1\""))))
                .startsWith("{\"apiVersion\":\"authentication.k8s.io/v1beta1\"");
    }

    @Test
    @DisplayName("a body that is not JSON is a 400 with the webhook's error format")
    void notJson() {
        assertThatThrownBy(() -> review("token=abc")).isInstanceOf(RequestRejected.class)
                .hasMessage("request body is not valid JSON (line 1, column 7)")
                .satisfies(e -> assertThat(((RequestRejected) e).status()).isEqualTo(400));
    }

    @Test
    @DisplayName("another kind of review is a 400")
    void wrongKind() {
        assertThatThrownBy(() -> review("{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\","
                + "\"spec\":{}}")).isInstanceOf(RequestRejected.class).hasMessage("expected apiVersion "
                + "\"authentication.k8s.io/v1\" and kind \"TokenReview\", got apiVersion \"authorization.k8s.io/v1\" "
                + "and kind \"SubjectAccessReview\"");
    }

    @Test
    @DisplayName("a review without spec is a 400")
    void noSpec() {
        assertThatThrownBy(() -> review("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\"}"))
                .isInstanceOf(RequestRejected.class).hasMessage("TokenReview has no spec");
    }
}
