package dev.twofold.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.twofold.webhook.admission.AdmissionEndpoint;
import dev.twofold.webhook.authz.AuthorizationEndpoint;
import dev.twofold.webhook.authz.ImpersonationGuard;
import dev.twofold.webhook.policy.LivePolicyEngine;
import dev.twofold.webhook.policy.PolicySnapshot;
import dev.twofold.webhook.testing.RecordingAuditLog;
import dev.twofold.webhook.testing.Reviews;
import dev.twofold.webhook.testing.SamplePolicies;
import dev.twofold.webhook.testing.StaticNamespaces;
import dev.twofold.webhook.testing.TestCertificates;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The real HTTPS server on a loopback port: routing, bad input, metrics, certificate reload, graceful stop. */
class WebhookServerTest {

    private static final Clock CLOCK = Clock.fixed(Reviews.NOW, ZoneOffset.UTC);
    private static final TestCertificates.Issued FIRST = TestCertificates.ec("twofold-webhook-1", Duration.ofHours(1));
    private static final TestCertificates.Issued SECOND = TestCertificates.ec("twofold-webhook-2", Duration.ofHours(2));
    private static final SSLContext TRUST_BOTH = TestCertificates.trusting(FIRST.certificate(), SECOND.certificate());

    private final ReloadingSslContext tls = new ReloadingSslContext();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private WebhookServer server;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        tls.install(ServingCertificate.fromPem(FIRST.certificatePem(), FIRST.pkcs8Pem()));
        server = start(List.of());
        client = newClient();
    }

    private WebhookServer start(List<Route> extraRoutes) throws IOException {
        PolicySnapshot snapshot = new PolicySnapshot();
        snapshot.replace(SamplePolicies.set(SamplePolicies.ALL));
        LivePolicyEngine engine = new LivePolicyEngine(snapshot, new StaticNamespaces(SamplePolicies.NAMESPACES),
                CLOCK);
        JsonCodec json = new JsonCodec();
        RecordingAuditLog audit = new RecordingAuditLog();
        List<Route> routes = new ArrayList<>(List.of(new AdmissionEndpoint(engine, audit, CLOCK, json).route(),
                new AuthorizationEndpoint(engine, new ImpersonationGuard(Set.of()), audit, CLOCK, json).route()));
        routes.addAll(extraRoutes);
        WebhookServer started = WebhookServer.start(new InetSocketAddress("127.0.0.1", 0), tls.context(), routes,
                new WebhookMetrics(registry), json);
        closing.add(started);
        return started;
    }

    private HttpClient newClient() {
        HttpClient http = HttpClient.newBuilder().sslContext(TRUST_BOTH).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        closing.add(http);
        return http;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable resource : closing.reversed()) {
            resource.close();
        }
    }

    private URI uri(String path) {
        return URI.create("https://127.0.0.1:" + server.address().getPort() + path);
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersAnAdmissionReviewOverHttps() throws Exception {
        HttpResponse<String> response = post("/admission/mfa?timeout=10s", "application/json",
                Reviews.execConnect("uid-1", "alice", Reviews.MFA_EXTRA));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
                + "\"response\":{\"uid\":\"uid-1\",\"allowed\":true}}");
    }

    @Test
    void answersASubjectAccessReviewOverHttps() throws Exception {
        HttpResponse<String> response = post("/authorize", "application/json; charset=utf-8",
                Reviews.secretGet("alice", Reviews.MFA_EXTRA));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":"
                + "\"SubjectAccessReview\",\"status\":{\"allowed\":false,\"denied\":false}}");
    }

    static Stream<Arguments> badRequests() {
        String exec = Reviews.execConnect("uid-1", "alice", Reviews.MFA_EXTRA);
        return Stream.of(
                arguments("an unknown path", "POST", "/validate", "application/json", exec, 404,
                        "no endpoint at \\\"/validate\\\"; Twofold serves POST /admission/mfa and POST /authorize"),
                arguments("a trailing slash", "POST", "/admission/mfa/", "application/json", exec, 404,
                        "no endpoint at \\\"/admission/mfa/\\\"; Twofold serves POST /admission/mfa and POST "
                                + "/authorize"),
                arguments("GET", "GET", "/admission/mfa", null, null, 405,
                        "method \\\"GET\\\" is not allowed on /admission/mfa; use POST"),
                arguments("PUT", "PUT", "/authorize", "application/json", exec, 405,
                        "method \\\"PUT\\\" is not allowed on /authorize; use POST"),
                arguments("a text body", "POST", "/admission/mfa", "text/plain", exec, 415,
                        "Content-Type must be application/json, got \\\"text/plain\\\""),
                arguments("YAML", "POST", "/authorize", "application/yaml", exec, 415,
                        "Content-Type must be application/json, got \\\"application/yaml\\\""),
                arguments("no Content-Type", "POST", "/admission/mfa", null, exec, 415,
                        "Content-Type must be application/json, got none"),
                arguments("malformed JSON", "POST", "/admission/mfa", "application/json", "{\"kind\": AdmissionReview}",
                        400, "request body is not valid JSON (line 1, column 26)"),
                arguments("an empty body", "POST", "/authorize", "application/json", "", 400,
                        "request body is empty; expected a JSON SubjectAccessReview"),
                arguments("a review of the other kind", "POST", "/authorize", "application/json", exec, 400,
                        "expected apiVersion \\\"authorization.k8s.io/v1\\\" and kind \\\"SubjectAccessReview\\\", "
                                + "got apiVersion \\\"admission.k8s.io/v1\\\" and kind \\\"AdmissionReview\\\""),
                arguments("a review without uid", "POST", "/admission/mfa", "application/json",
                        exec.replace("\"uid\": \"uid-1\",", ""), 400, "AdmissionReview request has no uid"));
    }

    @ParameterizedTest(name = "{0} is answered {5} with a JSON error")
    @MethodSource("badRequests")
    void answersBadRequestsWithJsonErrors(String name, String method, String path, String contentType, String body,
            int status, String error) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }

        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"error\":\"" + error + "\"}");
        if (status == 405) {
            assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        }
    }

    @Test
    void aConnectionStaysUsableAfterErrorAnswers() throws Exception {
        try (SSLSocket socket = (SSLSocket) TRUST_BOTH.getSocketFactory().createSocket("127.0.0.1",
                server.address().getPort())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            String exec = Reviews.execConnect("uid-1", "alice", Reviews.MFA_EXTRA);
            for (String[] request : new String[][] {{"/nowhere", "application/json", "{}"},
                {"/admission/mfa", "text/plain", exec}, {"/admission/mfa", "application/json", "{"},
                {"/admission/mfa", "application/json", exec}}) {
                byte[] body = request[2].getBytes(StandardCharsets.UTF_8);
                socket.getOutputStream().write(("POST " + request[0] + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: " + request[1] + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(body);
                socket.getOutputStream().flush();

                String status = in.readLine();
                int length = -1;
                String line;
                while (!(line = in.readLine()).isEmpty()) {
                    assertThat(line).doesNotStartWith("Connection: close");
                    if (line.startsWith("Content-length: ") || line.startsWith("Content-Length: ")) {
                        length = Integer.parseInt(line.substring(16));
                    }
                }
                char[] answer = new char[length];
                assertThat(in.read(answer)).isEqualTo(length);
                assertThat(status).as("answer to " + request[0]).startsWith("HTTP/1.1 ");
            }
        }
    }

    @Test
    void rejectsABodyDeclaredLargerThanThreeMebibytesBeforeReadingIt() throws Exception {
        // A raw connection: the answer comes before any body byte is sent (a client still sending would see the
        // connection closed under it).
        try (SSLSocket socket = (SSLSocket) TRUST_BOTH.getSocketFactory().createSocket("127.0.0.1",
                server.address().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /admission/mfa HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 3145729\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));

            assertThat(in.readLine()).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
            List<String> headers = new ArrayList<>();
            String line;
            while (!(line = in.readLine()).isEmpty()) {
                headers.add(line);
            }
            assertThat(headers).contains("Connection: close");
            char[] body = new char[64];
            int n = in.read(body);
            assertThat(new String(body, 0, n)).isEqualTo("{\"error\":\"request body exceeds 3145728 bytes\"}");
        }
    }

    @Test
    void rejectsAChunkedBodyThatGrowsPastThreeMebibytes() throws Exception {
        byte[] big = ("{\"pad\": \"" + "x".repeat((int) WebhookServer.MAX_BODY_BYTES) + "\"}").getBytes();
        HttpRequest request = HttpRequest.newBuilder(uri("/admission/mfa")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).isEqualTo("{\"error\":\"request body exceeds 3145728 bytes\"}");
    }

    @Test
    void acceptsABodyOfExactlyThreeMebibytes() throws Exception {
        String review = Reviews.secretCreate("uid-big", "alice", Reviews.MFA_EXTRA);
        String padded = review.substring(0, review.length() - 1) + ", \"pad\": \"";
        padded = padded + "x".repeat((int) WebhookServer.MAX_BODY_BYTES - padded.length() - 2) + "\"}";
        assertThat(padded.length()).isEqualTo(WebhookServer.MAX_BODY_BYTES);

        HttpResponse<String> response = post("/admission/mfa", "application/json", padded);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"allowed\":true");
    }

    @Test
    void answersAnInternalFailureWithAGeneric500() throws Exception {
        server.close();
        server = start(List.of(new Route("/explode", "explode", body -> {
            throw new IllegalStateException("secret internals");
        })));

        HttpResponse<String> response = post("/explode", "application/json", "{}");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("{\"error\":\"internal error; see the Twofold webhook's log\"}");
    }

    @Test
    void recordsMetricsWithLowCardinalityTags() throws Exception {
        post("/admission/mfa", "application/json", Reviews.execConnect("u1", "bob", Reviews.PASSWORD_EXTRA));
        post("/admission/mfa", "application/json", Reviews.execConnect("u2", "bob", Reviews.NO_EXTRA));
        post("/admission/mfa", "application/json", Reviews.configMapUpdate("u3", "demo", "bob",
                Reviews.PASSWORD_EXTRA));
        post("/authorize", "application/json", Reviews.secretGet("alice", Reviews.MFA_EXTRA));
        post("/nowhere", "application/json", "{}");
        post("/admission/mfa", "application/json", "{");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(registry.scrape()).contains(
                "twofold_webhook_requests_total{decision=\"deny\",endpoint=\"admission\",policy=\"exec-needs-mfa\","
                        + "reason=\"amr_not_satisfied\"} 1",
                "twofold_webhook_requests_total{decision=\"deny\",endpoint=\"admission\",policy=\"exec-needs-mfa\","
                        + "reason=\"amr_absent\"} 1",
                "twofold_webhook_requests_total{decision=\"audit_warn\",endpoint=\"admission\","
                        + "policy=\"configmap-writes-audit\",reason=\"amr_not_satisfied\"} 1",
                "twofold_webhook_requests_total{decision=\"no_opinion\",endpoint=\"authorize\","
                        + "policy=\"secret-reads-need-mfa\",reason=\"all_satisfied\"} 1",
                "twofold_webhook_requests_total{decision=\"error\",endpoint=\"unknown\",policy=\"none\","
                        + "reason=\"not_found\"} 1",
                "twofold_webhook_requests_total{decision=\"error\",endpoint=\"admission\",policy=\"none\","
                        + "reason=\"malformed_json\"} 1",
                "twofold_evidence_missing_total{policy=\"exec-needs-mfa\",reason=\"amr_not_satisfied\"} 1",
                "twofold_evidence_missing_total{policy=\"exec-needs-mfa\",reason=\"amr_absent\"} 1",
                "twofold_evidence_missing_total{policy=\"exec-needs-mfa\",reason=\"auth_time_absent\"} 1",
                "twofold_evidence_missing_total{policy=\"configmap-writes-audit\",reason=\"amr_not_satisfied\"} 1",
                "twofold_audit_would_deny_total{policy=\"configmap-writes-audit\"} 1",
                "twofold_webhook_request_seconds_bucket{endpoint=\"admission\",le=\"0.005\"}",
                "twofold_webhook_request_seconds_count{endpoint=\"admission\"} 4",
                "twofold_webhook_request_seconds_count{endpoint=\"authorize\"} 1"));
        assertThat(registry.scrape()).doesNotContain("bob", "alice", "web-0", "app-config", "demo");
    }

    @Test
    void aNewConnectionSeesAReloadedCertificate() throws Exception {
        String body = Reviews.execConnect("uid-1", "alice", Reviews.MFA_EXTRA);
        HttpResponse<String> before = post("/admission/mfa", "application/json", body);
        assertThat(peer(before).getSerialNumber()).isEqualTo(FIRST.certificate().getSerialNumber());

        tls.install(ServingCertificate.fromPem(SECOND.certificatePem(), SECOND.legacyPem()));

        // A new client, but the same client TLS context: a resumed session would still show the old certificate.
        client = newClient();
        HttpResponse<String> after = post("/admission/mfa", "application/json", body);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(peer(after).getSerialNumber()).isEqualTo(SECOND.certificate().getSerialNumber());
    }

    @Test
    void refusesHandshakesUntilACertificateIsLoaded() throws Exception {
        server.close();
        ReloadingSslContext empty = new ReloadingSslContext();
        WebhookServer unready = WebhookServer.start(new InetSocketAddress("127.0.0.1", 0), empty.context(),
                List.of(), new WebhookMetrics(registry), new JsonCodec());
        closing.add(unready);
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + unready.address().getPort()
                + "/admission/mfa")).POST(HttpRequest.BodyPublishers.ofString("{}")).build();

        assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aRouteWithItsOwnMediaTypeSeesTheRequestHeadersAndRefusesJson() throws Exception {
        server.close();
        server = start(List.of(new Route("/v1/things", "things", "application/pkcs10", (body, headers) ->
                new Reply(("{\"authorization\":\"" + headers.getFirst("Authorization") + "\"}").getBytes(),
                        Outcome.of(Outcome.Kind.ALLOW, "test")))));

        HttpResponse<String> ok = client.send(HttpRequest.newBuilder(uri("/v1/things"))
                .header("Content-Type", "application/pkcs10").header("Authorization", "Bearer abc")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> json = post("/v1/things", "application/json", "{}");

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"authorization\":\"Bearer abc\"}");
        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(json.body()).isEqualTo(
                "{\"error\":\"Content-Type must be application/pkcs10, got \\\"application/json\\\"\"}");
    }

    @Test
    void aRefusalAsks401ForBearerCredentialsAnd503ToRetry() throws Exception {
        server.close();
        server = start(List.of(
                new Route("/401", "unauthorized", body -> {
                    throw new RequestRejected(401, "missing_token", "no bearer token");
                }),
                new Route("/503", "standby", body -> {
                    throw new RequestRejected(503, "standby", "not now");
                })));

        HttpResponse<String> unauthorized = post("/401", "application/json", "{}");
        HttpResponse<String> unavailable = post("/503", "application/json", "{}");

        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(unauthorized.body()).isEqualTo("{\"error\":\"no bearer token\"}");
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(unavailable.body()).isEqualTo("{\"error\":\"not now\"}");
    }

    @Test
    void pastTheInFlightBoundARequestIsRefusedAtOnceWith429AndTheNextOneIsServed() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.close();
        server = WebhookServer.start(new InetSocketAddress("127.0.0.1", 0), tls.context(), List.of(
                new Route("/slow", "slow", body -> {
                    entered.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new Reply("{}".getBytes(), Outcome.of(Outcome.Kind.ALLOW, "test"));
                })), new WebhookMetrics(registry), new JsonCodec(), 1);
        closing.add(server);
        CompletableFuture<HttpResponse<String>> first = client.sendAsync(HttpRequest.newBuilder(uri("/slow"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        HttpResponse<String> refused = newClient().send(HttpRequest.newBuilder(uri("/slow"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        release.countDown();

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.body()).isEqualTo("{\"error\":\"more than 1 requests in flight; ask again\"}");
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(post("/slow", "application/json", "{}").statusCode()).isEqualTo(200);
        assertThat(registry.get(WebhookMetrics.REQUESTS).tags("endpoint", "slow", "reason", "overloaded").counter()
                .count()).isEqualTo(1);
    }

    @Test
    void stopLetsAnInFlightRequestFinishAndRefusesNewConnections() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.close();
        server = start(List.of(new Route("/slow", "slow", body -> {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Reply("{}".getBytes(), Outcome.of(Outcome.Kind.ALLOW, "test"));
        })));
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(HttpRequest.newBuilder(uri("/slow"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(5)));
        Thread.sleep(200); // let stop() close the listener while the request is still in the handler
        release.countDown();

        assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        stopped.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> newClient().send(HttpRequest.newBuilder(uri("/admission/mfa"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void drainingAnswersWithConnectionCloseUntilItStopsListening() throws Exception {
        String exec = Reviews.execConnect("uid-1", "alice", Reviews.MFA_EXTRA);
        assertThat(post("/admission/mfa", "application/json", exec).headers().firstValue("Connection")).isEmpty();

        CompletableFuture<Void> drained = CompletableFuture.runAsync(() ->
                server.drain(Duration.ofSeconds(3), Duration.ofSeconds(1)));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            HttpResponse<String> answer = post("/admission/mfa", "application/json", exec);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Connection")).hasValue("close");
        });

        drained.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> newClient().send(HttpRequest.newBuilder(uri("/admission/mfa"))
                .POST(HttpRequest.BodyPublishers.ofString(exec)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    private static X509Certificate peer(HttpResponse<?> response) throws Exception {
        return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
    }
}
