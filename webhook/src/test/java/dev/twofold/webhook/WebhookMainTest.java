package dev.twofold.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twofold.api.v1alpha1.MfaPolicy;
import dev.twofold.api.v1alpha1.OidcIssuer;
import dev.twofold.api.v1alpha1.OidcIssuerSpec;
import dev.twofold.webhook.server.SecretRef;
import dev.twofold.webhook.testing.Reviews;
import dev.twofold.webhook.testing.SamplePolicies;
import dev.twofold.webhook.testing.TestCertificates;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole wiring against the fabric8 mock API server: informers, readiness, HTTPS, metrics, shutdown. */
class WebhookMainTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final SecretRef TLS_SECRET = new SecretRef("twofold-system", "twofold-webhook-tls");
    private static final String API_AUDIENCE = "https://kubernetes.default.svc.cluster.local";
    /** An issuer on a loopback port nothing listens on. */
    private static final String DOWN_ISSUER = "https://127.0.0.1:1/realms/down";
    private static final TestCertificates.Issued CERTIFICATE = TestCertificates.ec("twofold-webhook",
            Duration.ofDays(1));

    private KubernetesMockServer server;
    private KubernetesClient client;
    private WebhookMain webhook;
    private HttpClient http;

    @BeforeEach
    void startServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(MfaPolicy.class));
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(OidcIssuer.class));
        client = server.createClient();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("demo")
                .addToLabels("kubernetes.io/metadata.name", "demo").endMetadata().build()).create();
        for (String policy : SamplePolicies.ALL) {
            client.resource(SamplePolicies.parse(policy)).create();
        }
        http = HttpClient.newBuilder().sslContext(CERTIFICATE.trustingContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stopServer() {
        if (webhook != null) {
            webhook.close();
        }
        http.close();
        client.close();
        server.destroy();
    }

    private void createTlsSecret() {
        client.resource(new SecretBuilder().withNewMetadata().withNamespace(TLS_SECRET.namespace())
                .withName(TLS_SECRET.name()).endMetadata().withType("kubernetes.io/tls")
                .addToData("tls.crt", base64(CERTIFICATE.certificatePem()))
                .addToData("tls.key", base64(CERTIFICATE.legacyPem())).build()).create();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private void start() throws IOException {
        webhook = WebhookMain.start(new WebhookOptions(0, "127.0.0.1", 0, TLS_SECRET, Set.of("twofold-proxy"),
                Set.of(API_AUDIENCE)), client, Clock.systemUTC());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webhook.metricsAddress().getPort()
                + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> review(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + webhook.httpsAddress().getPort()
                + path)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesReviewsOnceReadyAndReportsMetrics() throws Exception {
        createTlsSecret();
        start();

        await().atMost(WAIT).until(() -> get("/readyz").statusCode() == 200);
        assertThat(get("/healthz").body()).isEqualTo("ok\n");

        HttpResponse<String> denied = review("/admission/mfa", Reviews.execConnect("uid-7", "bob",
                Reviews.PASSWORD_EXTRA));
        JsonNode response = new ObjectMapper().readTree(denied.body()).path("response");
        assertThat(response.path("allowed").asBoolean()).isFalse();
        assertThat(response.path("status").path("message").asText())
                .startsWith("Twofold: MfaPolicy \"exec-needs-mfa\" requires a second factor");
        HttpResponse<String> guarded = review("/authorize", Reviews.impersonateExtra("twofold-proxy",
                "twofold.dev/amr"));
        assertThat(guarded.body()).contains("\"denied\":false");

        await().atMost(WAIT).untilAsserted(() -> assertThat(get("/metrics").body()).contains(
                "twofold_policies_loaded 4",
                "twofold_webhook_requests_total{decision=\"deny\",endpoint=\"admission\",policy=\"exec-needs-mfa\","
                        + "reason=\"amr_not_satisfied\"} 1",
                "twofold_evidence_missing_total{policy=\"exec-needs-mfa\",reason=\"amr_not_satisfied\"} 1",
                "jvm_memory_used_bytes"));
        // The certificate is valid for a day from now.
        assertThat(gauge(get("/metrics").body(), "twofold_webhook_certificate_expiry_seconds"))
                .isBetween(86_000.0, 86_400.0);
        assertThat(get("/metrics").headers().firstValue("Content-Type")).hasValue(
                "text/plain; version=0.0.4; charset=utf-8");
        assertThat(get("/metricsx").statusCode()).isEqualTo(404);
    }

    @Test
    void authenticatesTokensOfTheClustersOidcIssuersAndStaysReadyWhileTheirIdpIsDown() throws Exception {
        createTlsSecret();
        client.resource(OidcIssuer.of("down", new OidcIssuerSpec(DOWN_ISSUER, List.of("kubectl"), null, null, null,
                null, null))).create();
        start();

        // Ready although the only IdP refuses connections: readiness waits for the issuer list, not for discovery.
        await().atMost(WAIT).until(() -> get("/readyz").statusCode() == 200);

        await().atMost(WAIT).untilAsserted(() -> assertThat(tokenReviewError(unsignedToken(DOWN_ISSUER)))
                .startsWith("idp_unavailable: discovery failed: cannot fetch " + DOWN_ISSUER
                        + "/.well-known/openid-configuration"));
        assertThat(tokenReviewError(unsignedToken("https://idp.example.com"))).isEqualTo(
                "wrong_issuer: issuer \"https://idp.example.com\" is not a configured OidcIssuer");
        assertThat(get("/metrics").body()).contains(
                "twofold_oidc_issuers_loaded 1",
                "twofold_oidc_verifications_total{issuer=\"down\",reason=\"idp_unavailable\",result=\"rejected\"}",
                "twofold_oidc_cache_requests_total{cache=\"positive\",result=\"miss\"}",
                "twofold_webhook_requests_total{decision=\"deny\",endpoint=\"authenticate\",policy=\"none\","
                        + "reason=\"wrong_issuer\"} 1");
    }

    private String tokenReviewError(String token) throws Exception {
        HttpResponse<String> response = review("/authenticate", """
                {"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview",
                 "spec":{"token":"%s","audiences":["%s"]}}""".formatted(token, API_AUDIENCE));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode status = new ObjectMapper().readTree(response.body()).path("status");
        assertThat(status.path("authenticated").asBoolean()).isFalse();
        return status.path("error").asText();
    }

    /** A well-formed JWS naming {@code issuer}, with a signature nobody made: enough to be routed to the issuer. */
    private static String unsignedToken(String issuer) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = base64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"JWT\"}"
                .getBytes(StandardCharsets.UTF_8));
        long now = System.currentTimeMillis() / 1000;
        String claims = base64.encodeToString(("{\"iss\":\"" + issuer + "\",\"sub\":\"alice\",\"aud\":\"kubectl\","
                + "\"iat\":" + now + ",\"exp\":" + (now + 600) + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + "." + base64.encodeToString(new byte[256]);
    }

    private static double gauge(String scrape, String name) {
        return scrape.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(line ->
                Double.parseDouble(line.substring(name.length() + 1))).findFirst().orElseThrow();
    }

    @Test
    void isNotReadyUntilTheServingSecretExists() throws Exception {
        start();

        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> readyz = get("/readyz");
            assertThat(readyz.statusCode()).isEqualTo(503);
            assertThat(readyz.body()).isEqualTo("not ready: serving certificate loaded from Secret "
                    + "twofold-system/twofold-webhook-tls\n");
        });
        assertThat(get("/metrics").body()).contains("twofold_webhook_certificate_expiry_seconds NaN");

        createTlsSecret();

        await().atMost(WAIT).until(() -> get("/readyz").statusCode() == 200);
    }

    @Test
    void closeStopsBothServers() throws Exception {
        createTlsSecret();
        start();
        await().atMost(WAIT).until(() -> get("/readyz").statusCode() == 200);
        int https = webhook.httpsAddress().getPort();

        webhook.close();

        assertThat(webhook.readiness().unmet()).contains("shutting down");
        assertThatThrownBy(() -> get("/readyz")).isInstanceOf(IOException.class);
        webhook = null;
        try (HttpClient fresh = HttpClient.newBuilder().sslContext(CERTIFICATE.trustingContext()).build()) {
            assertThatThrownBy(() -> fresh.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + https
                    + "/admission/mfa")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding())).isInstanceOf(IOException.class);
        }
    }
}
