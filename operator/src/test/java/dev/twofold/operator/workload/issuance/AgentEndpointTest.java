package dev.twofold.operator.workload.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import dev.twofold.operator.metrics.WorkloadMetrics;
import dev.twofold.operator.workload.issuer.CsrVerifier;
import dev.twofold.operator.workload.issuer.SignatureVerifier;
import dev.twofold.webhook.server.JsonCodec;
import dev.twofold.webhook.server.RequestRejected;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the agent endpoint refuses before attestation: a standby replica, missing or rejected tokens, an API server
 * that cannot review, oversized bodies. Attestation and issuance are the signers' shared code (WorkloadSigningTest);
 * the whole path runs against the real API server in AgentEndpointE2E.
 */
class AgentEndpointTest {

    private final List<String> reviewed = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private AgentEndpoint endpoint(boolean serving, TokenReviewer tokens) {
        return new AgentEndpoint((token, audience) -> {
            reviewed.add(token + "@" + audience);
            return tokens.review(token, audience);
        }, "twofold", new CsrVerifier(new SignatureVerifier()), null, null, () -> serving, null, null, null,
                new WorkloadMetrics(registry, Clock.systemUTC()), Clock.systemUTC(), new JsonCodec());
    }

    private static Headers bearer(String token) {
        Headers headers = new Headers();
        headers.add("Authorization", "Bearer " + token);
        return headers;
    }

    private static RequestRejected refusal(AgentEndpoint endpoint, byte[] body, Headers headers) {
        return (RequestRejected) org.assertj.core.api.Assertions.catchThrowable(
                () -> endpoint.handle(new ByteArrayInputStream(body), headers));
    }

    private double denied(String reason) {
        var counter = registry.find(WorkloadMetrics.DENIED).tags("path", "agent", "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void a_standby_replica_asks_the_agent_to_come_again_without_reviewing_the_token() {
        RequestRejected refused = refusal(endpoint(false, (t, a) -> {
            throw new AssertionError("not reviewed");
        }), new byte[0], bearer("t"));

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.getMessage()).startsWith("this Twofold operator replica does not sign now");
        assertThat(reviewed).isEmpty();
    }

    @Test
    void a_request_without_a_bearer_token_is_401() {
        RequestRejected refused = refusal(endpoint(true, (t, a) -> new ReviewedToken.Rejected("x")), new byte[0],
                new Headers());

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.getMessage()).isEqualTo("no bearer token: send the pod's projected service account token "
                + "(audience twofold) as 'Authorization: Bearer <token>'");
        assertThat(denied("missing_token")).isEqualTo(1);
    }

    @Test
    void another_authorization_scheme_is_401() {
        Headers basic = new Headers();
        basic.add("Authorization", "Basic YWxpY2U6c2VjcmV0");

        RequestRejected refused = refusal(endpoint(true, (t, a) -> new ReviewedToken.Rejected("x")), new byte[0],
                basic);

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.getMessage()).isEqualTo("the Authorization header is not 'Bearer <token>'");
        assertThat(reviewed).isEmpty();
    }

    @Test
    void a_token_the_api_server_rejects_is_401_with_its_reason() {
        RequestRejected refused = refusal(endpoint(true, (t, a) -> new ReviewedToken.Rejected(
                "[invalid bearer token, token audiences [\"api\"] is invalid for the target audiences [\"twofold\"]]")),
                new byte[0], bearer("abc.def.ghi"));

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.getMessage()).startsWith("the token was not accepted: [invalid bearer token, token "
                + "audiences").endsWith("(send the pod's projected service account token with audience twofold)");
        assertThat(reviewed).containsExactly("abc.def.ghi@twofold");
        assertThat(denied("token_rejected")).isEqualTo(1);
    }

    @Test
    void an_api_server_that_cannot_review_means_come_again() {
        RequestRejected refused = refusal(endpoint(true, (t, a) -> {
            throw new TokenReviewUnavailable("the API server could not review the token (HTTP 500)", null);
        }), new byte[0], bearer("abc"));

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.getMessage()).isEqualTo("the API server could not review the token (HTTP 500); ask again");
    }

    @Test
    void an_oversized_body_is_413_before_the_token_is_reviewed() {
        RequestRejected refused = refusal(endpoint(true, (t, a) -> new ReviewedToken.Authenticated("u", Map.of())),
                new byte[CsrVerifier.DEFAULT_MAX_BYTES + 1], bearer("abc"));

        assertThat(refused.status()).isEqualTo(413);
        assertThat(reviewed).isEmpty();
    }

    @Test
    void an_unparseable_request_from_an_authenticated_pod_is_400() {
        RequestRejected refused = refusal(endpoint(true, (t, a) -> new ReviewedToken.Authenticated(
                "system:serviceaccount:demo:web", Map.of())), "not a request".getBytes(), bearer("abc"));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.getMessage()).startsWith("the certificate request was rejected (malformed): ");
    }

    @Test
    void the_endpoint_is_served_at_v1_certificates_for_pkcs10_bodies() {
        var route = endpoint(true, (t, a) -> new ReviewedToken.Rejected("x")).route();

        assertThat(route.path()).isEqualTo("/v1/certificates");
        assertThat(route.mediaType()).isEqualTo("application/pkcs10");
    }
}
