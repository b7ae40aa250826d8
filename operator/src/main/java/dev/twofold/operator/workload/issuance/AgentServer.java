package dev.twofold.operator.workload.issuance;

import dev.twofold.operator.config.AgentEndpointSettings;
import dev.twofold.webhook.server.JsonCodec;
import dev.twofold.webhook.server.ReloadingSslContext;
import dev.twofold.webhook.server.TlsSecretWatcher;
import dev.twofold.webhook.server.WebhookMetrics;
import dev.twofold.webhook.server.WebhookServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTPS server for the agent endpoint: the webhook's server (routing, limits, error bodies, request
 * metrics) with its certificate hot-reloaded from a Secret. It runs on every replica; standbys answer 503.
 */
public final class AgentServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AgentServer.class);
    private static final Duration DRAIN = Duration.ofSeconds(2);

    private final ReloadingSslContext tls;
    private final TlsSecretWatcher secret;
    private final WebhookServer server;

    private AgentServer(ReloadingSslContext tls, TlsSecretWatcher secret, WebhookServer server) {
        this.tls = tls;
        this.secret = secret;
        this.server = server;
    }

    /** Binds the port on all addresses and starts watching the certificate Secret. */
    public static AgentServer start(KubernetesClient client, AgentEndpointSettings settings, AgentEndpoint endpoint,
            MeterRegistry registry, Clock clock) throws IOException {
        ReloadingSslContext tls = new ReloadingSslContext();
        TlsSecretWatcher secret = new TlsSecretWatcher(client, settings.tlsSecret(), tls, clock);
        secret.start();
        WebhookServer server;
        try {
            server = WebhookServer.start(new InetSocketAddress(settings.port()), tls.context(),
                    List.of(endpoint.route()), new WebhookMetrics(registry), new JsonCodec());
        } catch (IOException | RuntimeException e) {
            secret.close();
            throw e;
        }
        log.info("agent endpoint listening port={} path={} tlsSecret={} audience={}", server.address().getPort(),
                AgentEndpoint.PATH, settings.tlsSecret(), settings.audience());
        return new AgentServer(tls, secret, server);
    }

    /** Whether a serving certificate is loaded (until then TLS handshakes fail). */
    public boolean loaded() {
        return tls.loaded();
    }

    @Override
    public void close() {
        server.stop(DRAIN);
        secret.close();
    }
}
