package dev.twofold.e2e.keycloak;

import dev.twofold.e2e.pki.TlsContexts;
import dev.twofold.e2e.process.ManagedProcess;
import dev.twofold.e2e.process.Ports;
import dev.twofold.e2e.process.ProcessFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * A Keycloak server for tests and the dev environment: HTTPS only, on 127.0.0.1, with its database and transaction
 * log in a state directory of its own (the installed distribution stays read-only and shareable), and a hostname
 * fixed so that the issuer is exactly {@code https://127.0.0.1:<port>/realms/twofold}, whatever URL a client used.
 */
public final class KeycloakServer implements AutoCloseable {
    /**
     * How to run it.
     *
     * @param home            an installed distribution ({@link KeycloakDistribution#install})
     * @param certificateFile PEM serving certificate, valid for IP 127.0.0.1
     * @param keyFile         PEM private key of that certificate
     * @param caFile          PEM CA that issued it: what this harness trusts when it talks to the server
     * @param stateDir        the log, pid file and data go here
     */
    public record Settings(Path home, KeycloakJava java, int port, Path certificateFile, Path keyFile, Path caFile,
                           Path stateDir, AdminCredentials admin, Duration startTimeout) {
        /** Cold start with an empty database takes 10-20 s on two idle cores; leave room for a busy machine. */
        public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(3);
    }

    private final Settings settings;
    private final ManagedProcess process;
    private final SSLContext tls;
    private final HttpClient healthClient;

    private KeycloakServer(Settings settings, ManagedProcess process, SSLContext tls) {
        this.settings = settings;
        this.process = process;
        this.tls = tls;
        this.healthClient = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** Starts the server and waits until it reports ready; on failure nothing is left running. */
    public static KeycloakServer start(Settings settings) {
        for (Path file : List.of(settings.certificateFile(), settings.keyFile(), settings.caFile())) {
            if (!Files.isReadable(file)) throw new ProcessFailure("Keycloak cannot start: " + file + " is not readable");
        }
        Ports.requireFree(settings.port(), "Keycloak");
        SSLContext tls = readTls(settings.caFile());
        Path data = settings.stateDir().resolve("keycloak-data").toAbsolutePath();
        Map<String, String> environment = new HashMap<>(settings.java().environment());
        // Keycloak creates this admin in the master realm when its database is empty, and only then.
        environment.put("KC_BOOTSTRAP_ADMIN_USERNAME", settings.admin().username());
        environment.put("KC_BOOTSTRAP_ADMIN_PASSWORD", settings.admin().password());
        List<String> command = List.of(
                settings.home().resolve("bin/kc.sh").toString(), "start", "--optimized",
                "--http-enabled=false",
                "--http-host=127.0.0.1",
                "--https-port=" + settings.port(),
                "--https-certificate-file=" + settings.certificateFile().toAbsolutePath(),
                "--https-certificate-key-file=" + settings.keyFile().toAbsolutePath(),
                // a full URL: the issuer no longer depends on the Host header a client sent
                "--hostname=" + baseUrl(settings.port()),
                // no clustering: the default cache stack opens JGroups ports on every interface
                "--cache=local",
                "--db-url=jdbc:h2:file:" + data.resolve("h2/keycloakdb") + ";NON_KEYWORDS=VALUE",
                // Narayana would write its object store into the shared distribution otherwise
                "-Dquarkus.transaction-manager.object-store.directory=" + data.resolve("transaction-logs"));
        ManagedProcess process = ManagedProcess.start("keycloak", command, environment, settings.stateDir());
        KeycloakServer server = new KeycloakServer(settings, process, tls);
        try {
            process.awaitReady(server::ready, settings.startTimeout());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** {@code https://127.0.0.1:<port>}: the server root, where the admin API and health live. */
    public URI baseUrl() { return baseUrl(settings.port()); }

    /** The issuer of the {@code twofold} realm, exactly as it appears in {@code iss}. */
    public String issuerUrl() { return baseUrl() + "/realms/" + TwofoldRealm.NAME; }

    public int port() { return settings.port(); }

    /** Trusts the CA that issued the serving certificate, and nothing else. */
    public SSLContext sslContext() { return tls; }

    public AdminApi adminApi() { return new AdminApi(baseUrl(), tls, settings.admin()); }

    public ManagedProcess process() { return process; }

    /** Stops the server (SIGTERM, then SIGKILL after a grace period); its state directory stays. */
    @Override
    public void close() {
        healthClient.close();
        process.close();
    }

    /** Health is on the main port (see {@link KeycloakDistribution}); ready means the database is up too. */
    private boolean ready() {
        HttpRequest request = HttpRequest.newBuilder(baseUrl().resolve("/health/ready")).timeout(Duration.ofSeconds(5)).build();
        try {
            return healthClient.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static URI baseUrl(int port) {
        return URI.create("https://127.0.0.1:" + port);
    }

    private static SSLContext readTls(Path caFile) {
        try {
            return TlsContexts.trusting(Files.readString(caFile), Optional.empty());
        } catch (IOException e) {
            throw new ProcessFailure("cannot read the CA for Keycloak from " + caFile + ": " + e.getMessage(), e);
        }
    }
}
