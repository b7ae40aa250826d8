package dev.twofold.webhook.authn;

import dev.twofold.api.v1alpha1.OidcIssuer;
import dev.twofold.webhook.oidc.IssuerVerifier;
import dev.twofold.webhook.oidc.JwsVerifiers;
import dev.twofold.webhook.oidc.OidcMetrics;
import dev.twofold.webhook.oidc.TokenVerifier;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link TokenVerifier} on the cluster's OidcIssuers: an informer whose every event recomputes the issuer set
 * from the informer's store (level-triggered, like {@code PolicyWatcher}) through the {@link IssuerCatalog}, which
 * builds a verifier only when an issuer's settings changed. The verifier set is replaced only when it changed, so the
 * operator's status writes do not flush the verification caches.
 *
 * <p>Discovery and the first key fetch of a new verifier run on a background thread, never on a request; a verifier
 * whose discovery failed (IdP down) is retried there every {@value #DISCOVERY_RETRY_SECONDS} s (its own rate limit
 * still applies). Readiness waits for the informer's first list only: an IdP outage must not take admission and
 * authorization out of service.
 */
public final class OidcIssuerWatcher implements AutoCloseable {

    static final long DISCOVERY_RETRY_SECONDS = 15;
    private static final Logger LOG = LoggerFactory.getLogger(OidcIssuerWatcher.class);

    private final TokenVerifier tokens;
    private final IssuerCatalog catalog;
    private final SharedIndexInformer<OidcIssuer> informer;
    private final ScheduledExecutorService discovery;
    private volatile boolean listed;
    private volatile List<IssuerVerifier> serving = List.of();
    private Map<String, String> skipped = Map.of(); // guarded by this

    /** Verifiers as the webhook runs them: https with each issuer's CA bundle, the default signature providers. */
    public OidcIssuerWatcher(KubernetesClient client, TokenVerifier tokens, Clock clock, OidcMetrics metrics) {
        this(client, tokens, config -> new IssuerVerifier(config, JwsVerifiers.DEFAULT, clock, metrics));
    }

    OidcIssuerWatcher(KubernetesClient client, TokenVerifier tokens, IssuerCatalog.VerifierFactory factory) {
        this.tokens = tokens;
        this.catalog = new IssuerCatalog(factory);
        this.discovery = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("twofold-oidc-discovery").factory());
        this.informer = client.resources(OidcIssuer.class).runnableInformer(0);
        informer.exceptionHandler((started, error) -> {
            LOG.atWarn().addKeyValue("error", error.toString()).log("watching OidcIssuers failed; retrying");
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(OidcIssuer issuer) {
                rebuildIfListed();
            }

            @Override
            public void onUpdate(OidcIssuer previous, OidcIssuer issuer) {
                rebuildIfListed();
            }

            @Override
            public void onDelete(OidcIssuer issuer, boolean finalStateUnknown) {
                rebuildIfListed();
            }
        });
    }

    /** Starts the informer; completes once the first full issuer set is in place. */
    public CompletionStage<Void> start() {
        discovery.scheduleWithFixedDelay(this::retryDiscovery, DISCOVERY_RETRY_SECONDS, DISCOVERY_RETRY_SECONDS,
                TimeUnit.SECONDS);
        return informer.start().thenRun(() -> {
            listed = true;
            rebuild();
        });
    }

    /** Whether the first list of OidcIssuers is complete (for readiness). */
    public boolean synced() {
        return listed;
    }

    /** How many issuers are served. */
    public int size() {
        return serving.size();
    }

    private void rebuildIfListed() {
        if (listed) {
            rebuild();
        }
    }

    private synchronized void rebuild() {
        IssuerCatalog.Update update = catalog.update(informer.getStore().list());
        logSkipped(update.skipped());
        if (!update.changed()) {
            return;
        }
        tokens.replaceIssuers(update.verifiers());
        serving = update.verifiers();
        for (IssuerVerifier verifier : update.built()) {
            try {
                discovery.execute(() -> discover(verifier));
            } catch (RejectedExecutionException e) {
                return; // closing: the verifiers are closed with the TokenVerifier
            }
        }
        LOG.atInfo().addKeyValue("issuers", update.verifiers().stream().map(v -> v.config().name()).toList())
                .addKeyValue("built", update.built().stream().map(v -> v.config().name()).toList())
                .addKeyValue("skipped", update.skipped().size()).log("OidcIssuer set updated");
    }

    /** Logs each skipped issuer once per distinct reason, not on every event. */
    private void logSkipped(List<IssuerCatalog.Skipped> now) {
        Map<String, String> reasons = new HashMap<>();
        for (IssuerCatalog.Skipped skip : now) {
            reasons.put(skip.name(), skip.reason());
            if (!skip.reason().equals(skipped.get(skip.name()))) {
                LOG.atWarn().addKeyValue("issuer", skip.name()).addKeyValue("reason", skip.reason())
                        .log("OidcIssuer skipped: its tokens are not accepted");
            }
        }
        skipped = Map.copyOf(reasons);
    }

    private void retryDiscovery() {
        for (IssuerVerifier verifier : serving) {
            if (!verifier.health().discovered()) {
                discover(verifier);
            }
        }
    }

    private static void discover(IssuerVerifier verifier) {
        try {
            if (verifier.discover()) {
                LOG.atInfo().addKeyValue("issuer", verifier.config().name()).log("OIDC issuer discovered");
            }
        } catch (RuntimeException e) {
            // Keep the background thread alive: the next retry tries again.
            LOG.atWarn().addKeyValue("issuer", verifier.config().name()).addKeyValue("error", e.toString())
                    .log("OIDC discovery failed unexpectedly");
        }
    }

    @Override
    public void close() {
        informer.close();
        discovery.shutdownNow();
    }
}
