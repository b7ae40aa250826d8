package dev.twofold.webhook.oidc;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real OIDC identity provider on loopback HTTPS (JDK HttpsServer, BouncyCastle-made certificate): serves the
 * discovery document and a replaceable JWKS, counts every request per path, and can be stopped and started again on
 * the same port to simulate an outage.
 */
final class TestIdp implements AutoCloseable {

    static final String REALM = "/realms/twofold";

    private final TestCa ca;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final AtomicReference<String> jwks = new AtomicReference<>("{\"keys\":[]}");
    private final AtomicReference<String> discoveryOverride = new AtomicReference<>();
    private HttpsServer server;
    private int port;

    TestIdp(TestCa ca) throws Exception {
        this.ca = ca;
        start(0);
    }

    /** The issuer URL, e.g. {@code https://127.0.0.1:41234/realms/twofold}. */
    String issuer() {
        return "https://127.0.0.1:" + port + REALM;
    }

    String jwksUri() {
        return issuer() + "/protocol/openid-connect/certs";
    }

    /** Publishes these public keys as the JWKS. */
    void publish(JWK... keys) {
        jwks.set(new JWKSet(List.of(keys)).toString(true));
    }

    /** Serves {@code json} as the JWKS, whatever it holds. */
    void publishRaw(String json) {
        jwks.set(json);
    }

    /** Serves this discovery document instead of the correct one. */
    void discoveryDocument(String json) {
        discoveryOverride.set(json);
    }

    /** How many requests reached {@code path} (the part after the issuer, e.g. the JWKS path). */
    int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    int jwksFetches() {
        return hits(REALM + "/protocol/openid-connect/certs");
    }

    /** Simulates an outage: the port refuses connections until {@link #restart()}. */
    void stop() {
        server.stop(0);
    }

    void restart() throws Exception {
        start(port);
    }

    private void start(int requestedPort) throws Exception {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(ca.serverContext()));
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        String body;
        int status = 200;
        if (path.equals(REALM + Discovery.WELL_KNOWN)) {
            String override = discoveryOverride.get();
            body = override != null ? override
                    : "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + jwksUri() + "\"}";
        } else if (path.equals(REALM + "/protocol/openid-connect/certs")) {
            body = jwks.get();
        } else {
            status = 404;
            body = "{}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
