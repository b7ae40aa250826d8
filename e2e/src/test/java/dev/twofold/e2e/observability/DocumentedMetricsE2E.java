package dev.twofold.e2e.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twofold.e2e.env.LocalEnvironment;
import dev.twofold.e2e.env.TwofoldComponents;
import dev.twofold.e2e.keycloak.DemoUser;
import dev.twofold.e2e.support.RealCluster;
import dev.twofold.e2e.support.TestCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every metric in README's Observability table is served by a running Twofold, once the traffic that records it has
 * happened: the table is the one place metrics are documented, and this keeps it true.
 */
@ExtendWith(RealCluster.class)
class DocumentedMetricsE2E {
    private static final Pattern DOCUMENTED = Pattern.compile("^\\| `(twofold_[a-z_]+)` \\|(.*)$", Pattern.MULTILINE);
    /** Rows so marked need certificate traffic; PodCertificateE2E asserts that the signers export them. */
    private static final String WORKLOAD_ROW = "— workload identity";

    @Test
    void every_documented_metric_is_served(TestCluster cluster) throws IOException {
        List<String> documented = documentedMetrics();
        assertThat(documented).hasSizeGreaterThan(10);

        cluster.demoWorkload();
        var bob = cluster.kubectlWithToken(cluster.oidc().directGrant(DemoUser.BOB).idToken());
        bob.run("exec", "-n", "demo", "web", "--", "true");                         // a denial, missing evidence
        bob.run("create", "configmap", "-n", "demo", "metrics-" + System.nanoTime()); // an audit warning
        if (TestCluster.authenticationMode() == LocalEnvironment.AuthenticationMode.STRUCTURED) {
            // an OidcIssuer, so that the webhook's verifier and the operator's probe run here too
            TwofoldComponents.trustIssuer(cluster.admin(), cluster.environment().issuerUrl(), LocalEnvironment.AUDIENCE,
                    cluster.environment().idpCaPem());
        }

        TwofoldComponents.PortPlan ports = cluster.twofold().ports();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            authenticateOnce(cluster);
            String served = scrape(ports.webhookMetrics()) + scrape(ports.operatorMetrics());
            assertThat(documented).allSatisfy(metric ->
                    assertThat(served).as("served metrics").containsPattern("(?m)^" + metric + "(_bucket|_count|_sum)?[{ ]"));
        });
    }

    /** A TokenReview straight to Twofold's authenticator, so its verification and cache metrics are recorded. */
    private static void authenticateOnce(TestCluster cluster) throws Exception {
        String caPem = new String(java.util.Base64.getDecoder().decode(cluster.admin().secrets()
                .inNamespace(TwofoldComponents.NAMESPACE).withName(TwofoldComponents.CA_SECRET).get().getData().get("ca.crt")));
        String token = cluster.oidc().directGrant(DemoUser.ALICE).idToken();
        try (HttpClient http = HttpClient.newBuilder()
                .sslContext(dev.twofold.e2e.pki.TlsContexts.trusting(caPem, java.util.Optional.empty())).build()) {
            http.send(HttpRequest.newBuilder(URI.create(cluster.twofold().ports().authenticateUrl()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"authentication.k8s.io/v1\","
                            + "\"kind\":\"TokenReview\",\"spec\":{\"token\":\"" + token + "\"}}")).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    private static List<String> documentedMetrics() throws IOException {
        String readme = Files.readString(TestCluster.projectRoot().resolve("README.md"));
        Matcher matcher = DOCUMENTED.matcher(readme);
        List<String> names = new java.util.ArrayList<>();
        while (matcher.find()) {
            if (!matcher.group(2).contains(WORKLOAD_ROW)) names.add(matcher.group(1));
        }
        return names;
    }

    private static String scrape(int port) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
