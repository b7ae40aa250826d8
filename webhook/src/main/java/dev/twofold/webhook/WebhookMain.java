package dev.twofold.webhook;

import dev.twofold.webhook.admission.AdmissionEndpoint;
import dev.twofold.webhook.audit.AuditLog;
import dev.twofold.webhook.audit.JsonAuditLog;
import dev.twofold.webhook.authn.OidcIssuerWatcher;
import dev.twofold.webhook.authn.TokenReviewEndpoint;
import dev.twofold.webhook.authz.AuthorizationEndpoint;
import dev.twofold.webhook.authz.ImpersonationGuard;
import dev.twofold.webhook.oidc.CacheLimits;
import dev.twofold.webhook.oidc.OidcMetrics;
import dev.twofold.webhook.oidc.TokenVerifier;
import dev.twofold.webhook.policy.LivePolicyEngine;
import dev.twofold.webhook.policy.NamespaceWatcher;
import dev.twofold.webhook.policy.PolicySnapshot;
import dev.twofold.webhook.policy.PolicyWatcher;
import dev.twofold.webhook.server.JsonCodec;
import dev.twofold.webhook.server.MetricsServer;
import dev.twofold.webhook.server.Readiness;
import dev.twofold.webhook.server.ReloadingSslContext;
import dev.twofold.webhook.server.TlsSecretWatcher;
import dev.twofold.webhook.server.WebhookMetrics;
import dev.twofold.webhook.server.WebhookServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code twofold webhook}: wires the HTTPS review server, the operations port, the certificate, policy and OIDC issuer
 * informers and the audit log, and stops them gracefully on SIGTERM.
 */
public final class WebhookMain implements AutoCloseable {

    /** The webhook's logging: operational lines on stderr, audit JSON lines on stdout. */
    static final String LOGGING = "twofold-webhook-logback.xml";

    /** How long shutdown may take: the lame-duck period, then in-flight requests finishing. */
    static final Duration DRAIN = Duration.ofSeconds(5);

    /**
     * After SIGTERM, how long the server keeps answering (each answer closing its connection) before it stops
     * listening: clients retire their keep-alive connections cleanly, and a balancer moves new ones elsewhere.
     */
    static final Duration LAME_DUCK = Duration.ofSeconds(1);

    private final Readiness readiness;
    private final WebhookServer https;
    private final MetricsServer metrics;
    private final TlsSecretWatcher secretWatcher;
    private final PolicyWatcher policyWatcher;
    private final NamespaceWatcher namespaceWatcher;
    private final OidcIssuerWatcher issuerWatcher;
    private final TokenVerifier tokens;

    private WebhookMain(Readiness readiness, WebhookServer https, MetricsServer metrics,
            TlsSecretWatcher secretWatcher, PolicyWatcher policyWatcher, NamespaceWatcher namespaceWatcher,
            OidcIssuerWatcher issuerWatcher, TokenVerifier tokens) {
        this.readiness = readiness;
        this.https = https;
        this.metrics = metrics;
        this.secretWatcher = secretWatcher;
        this.policyWatcher = policyWatcher;
        this.namespaceWatcher = namespaceWatcher;
        this.issuerWatcher = issuerWatcher;
        this.tokens = tokens;
    }

    public static void main(String[] args) {
        // Before the first logger exists, and only for the process (tests keep theirs): unless the deployment names
        // another configuration, the webhook's own.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGGING);
        }
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(WebhookOptions.USAGE);
            return;
        }
        WebhookOptions options;
        try {
            options = WebhookOptions.parse(List.of(args));
        } catch (WebhookOptions.InvalidFlag e) {
            System.err.println("twofold webhook: " + e.getMessage());
            System.exit(2);
            return;
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        WebhookMain webhook;
        try {
            webhook = start(options, client, Clock.systemUTC());
        } catch (IOException | RuntimeException e) {
            log().atError().setCause(e).log("webhook failed to start");
            client.close();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            webhook.close();
            client.close();
            stopped.countDown();
        }, "twofold-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts the webhook against {@code client}. Returns once both servers listen; the informers sync in the
     * background and {@code /readyz} reports when they have (port 0 in {@code options} picks free ports).
     */
    public static WebhookMain start(WebhookOptions options, KubernetesClient client, Clock clock)
            throws IOException {
        log().atInfo().addKeyValue("port", options.port()).addKeyValue("bind", options.bind())
                .addKeyValue("metricsPort", options.metricsPort()).addKeyValue("tlsSecret", options.tlsSecret())
                .addKeyValue("impersonationProxies", options.impersonationProxies().stream().sorted().toList())
                .addKeyValue("apiAudiences", options.apiAudiences().stream().sorted().toList())
                .log("starting Twofold webhook");
        log().atInfo().addKeyValue("server", client.getConfiguration().getMasterUrl())
                .log("Kubernetes client configured");

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        WebhookMetrics webhookMetrics = new WebhookMetrics(registry);
        Readiness readiness = new Readiness();

        ReloadingSslContext tls = new ReloadingSslContext();
        TlsSecretWatcher secretWatcher = new TlsSecretWatcher(client, options.tlsSecret(), tls, clock);
        webhookMetrics.certificateExpiry(tls::notAfter, clock);
        readiness.require("serving certificate loaded from Secret " + options.tlsSecret(), tls::loaded);

        PolicySnapshot snapshot = new PolicySnapshot();
        PolicyWatcher policyWatcher = new PolicyWatcher(client, snapshot);
        NamespaceWatcher namespaceWatcher = new NamespaceWatcher(client);
        webhookMetrics.policiesLoaded(snapshot::size);
        readiness.require("MfaPolicy informer synced", snapshot::loaded);
        readiness.require("Namespace informer synced", namespaceWatcher::synced);

        // One long-lived verifier per OidcIssuer, kept by the watcher. Readiness waits for the issuer list only, not
        // for discovery: an IdP outage must not take admission and authorization out of service.
        OidcMetrics oidcMetrics = new OidcMetrics(registry);
        TokenVerifier tokens = new TokenVerifier(List.of(), CacheLimits.DEFAULT, clock, oidcMetrics);
        OidcIssuerWatcher issuerWatcher = new OidcIssuerWatcher(client, tokens, clock, oidcMetrics);
        oidcMetrics.issuersLoaded(issuerWatcher::size);
        readiness.require("OidcIssuer informer synced", issuerWatcher::synced);

        MetricsServer metricsServer = MetricsServer.start(
                new InetSocketAddress(options.bind(), options.metricsPort()), registry, readiness);
        log().atInfo().addKeyValue("address", hostPort(metricsServer.address())).log("metrics server listening");

        CompletableFuture<Void> secretSynced = secretWatcher.start().toCompletableFuture();
        log().atInfo().addKeyValue("secret", options.tlsSecret()).log("watching the serving Secret");
        CompletableFuture<Void> policiesSynced = policyWatcher.start().toCompletableFuture();
        CompletableFuture<Void> namespacesSynced = namespaceWatcher.start().toCompletableFuture();
        CompletableFuture<Void> issuersSynced = issuerWatcher.start().toCompletableFuture();
        log().atInfo().log("watching MfaPolicies, Namespaces and OidcIssuers");
        CompletableFuture.allOf(secretSynced, policiesSynced, namespacesSynced, issuersSynced)
                .whenComplete((done, error) -> {
            if (error == null) {
                log().atInfo().addKeyValue("policies", snapshot.size())
                        .addKeyValue("namespaces", namespaceWatcher.size())
                        .addKeyValue("oidcIssuers", issuerWatcher.size())
                        .addKeyValue("certificateLoaded", tls.loaded()).log("informers synced");
            } else {
                log().atError().setCause(error).log("informers failed to sync");
            }
        });

        JsonCodec json = new JsonCodec();
        AuditLog audit = JsonAuditLog.toLogger(json);
        LivePolicyEngine engine = new LivePolicyEngine(snapshot, namespaceWatcher, clock);
        AdmissionEndpoint admission = new AdmissionEndpoint(engine, audit, clock, json);
        AuthorizationEndpoint authorization = new AuthorizationEndpoint(engine,
                new ImpersonationGuard(options.impersonationProxies()), audit, clock, json);
        TokenReviewEndpoint authentication = new TokenReviewEndpoint(tokens, options.apiAudiences(), json);
        WebhookServer https;
        try {
            https = WebhookServer.start(new InetSocketAddress(options.bind(), options.port()), tls.context(),
                    List.of(admission.route(), authorization.route(), authentication.route()), webhookMetrics, json);
        } catch (IOException | RuntimeException e) {
            metricsServer.close();
            secretWatcher.close();
            policyWatcher.close();
            namespaceWatcher.close();
            issuerWatcher.close();
            tokens.close();
            throw e;
        }
        log().atInfo().addKeyValue("address", hostPort(https.address()))
                .addKeyValue("paths", List.of(AdmissionEndpoint.PATH, AuthorizationEndpoint.PATH,
                        TokenReviewEndpoint.PATH))
                .log("HTTPS server listening");
        return new WebhookMain(readiness, https, metricsServer, secretWatcher, policyWatcher, namespaceWatcher,
                issuerWatcher, tokens);
    }

    // Looked up, not held in a static field: creating a logger configures logging, which main() must do first.
    private static Logger log() {
        return LoggerFactory.getLogger(WebhookMain.class);
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    public InetSocketAddress httpsAddress() {
        return https.address();
    }

    public InetSocketAddress metricsAddress() {
        return metrics.address();
    }

    public Readiness readiness() {
        return readiness;
    }

    /**
     * Graceful stop: not ready; for 1 s every answer closes its connection; stop accepting; in-flight requests finish
     * (5 s in all at most); stop the informers.
     */
    @Override
    public void close() {
        log().atInfo().addKeyValue("drainSeconds", DRAIN.toSeconds()).log("shutting down");
        readiness.stopping();
        https.drain(LAME_DUCK, DRAIN.minus(LAME_DUCK));
        secretWatcher.close();
        policyWatcher.close();
        namespaceWatcher.close();
        issuerWatcher.close();
        tokens.close();
        metrics.close();
        log().atInfo().log("stopped");
    }
}
