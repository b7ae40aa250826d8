package dev.twofold.operator.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twofold.operator.pki.InvalidPemException;
import dev.twofold.operator.pki.Pem;
import dev.twofold.operator.workload.issuance.AgentEndpoint;
import dev.twofold.operator.workload.issuance.CertificateResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** One HTTPS client of the agent endpoint: posts a request with the token, returns the issued certificate. */
final class CertificateClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final URI endpoint;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    CertificateClient(URI server, Optional<Path> serverCa) throws IOException {
        this.endpoint = server.resolve(AgentEndpoint.PATH);
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (serverCa.isPresent()) {
            builder.sslContext(trusting(serverCa.get()));
        }
        this.http = builder.build();
    }

    CertificateResponse fetch(String token, String certificateRequest) throws FetchFailed, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", AgentEndpoint.MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(certificateRequest, StandardCharsets.US_ASCII))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new FetchFailed(0, "cannot reach " + endpoint + ": " + e, Optional.empty());
        }
        if (response.statusCode() != 200) {
            Optional<Duration> retryAfter = response.headers().firstValue("Retry-After")
                    .flatMap(CertificateClient::seconds);
            throw new FetchFailed(response.statusCode(), errorText(response.body()), retryAfter);
        }
        try {
            CertificateResponse issued = json.readValue(response.body(), CertificateResponse.class);
            if (issued.certificateChain() == null || issued.trustBundle() == null || issued.beginRefreshAt() == null
                    || issued.notAfter() == null) {
                throw new FetchFailed(200, "the server's answer lacks certificateChain, trustBundle or times",
                        Optional.empty());
            }
            return issued;
        } catch (IOException e) {
            throw new FetchFailed(200, "the server's answer is not a certificate response", Optional.empty());
        }
    }

    private String errorText(String body) {
        try {
            JsonNode error = json.readTree(body).get("error");
            if (error != null && error.isTextual()) {
                return error.asText();
            }
        } catch (IOException e) {
            // not JSON: show its start below
        }
        String text = body.strip().replaceAll("\\s+", " ");
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Math.min(300, Math.max(0, Long.parseLong(value.strip())))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static SSLContext trusting(Path caFile) throws IOException {
        try {
            List<X509Certificate> cas = Pem.parseCertificates(Files.readString(caFile, StandardCharsets.US_ASCII));
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (InvalidPemException e) {
            throw new IOException("--server-ca " + caFile + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IOException("--server-ca " + caFile + ": " + e.getMessage(), e);
        }
    }
}
