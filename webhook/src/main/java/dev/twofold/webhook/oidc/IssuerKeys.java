package dev.twofold.webhook.oidc;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.Closeable;
import java.io.IOException;
import java.net.URL;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One issuer's signing keys, built once per issuer with nimbus' {@link JWKSourceBuilder}: cached for the cache TTL and
 * refreshed ahead of expiry in the background; at most two fetches per rate-limit interval however many unknown key
 * IDs arrive; one retry of a failed fetch; and, while the issuer is unreachable, the last fetched keys keep verifying
 * for the outage tolerance (plus at most one cache TTL). Every fetch attempt is counted and remembered, so a token with
 * an unknown key during an outage fails as {@code idp_unavailable}, not {@code unknown_kid}.
 */
final class IssuerKeys implements Closeable {

    /** How long a request waits for another thread's fetch before giving up. */
    static final long REFRESH_TIMEOUT_MILLIS = 15_000;
    /** Refresh this long before the cached keys expire (nimbus' default). */
    static final long REFRESH_AHEAD_MILLIS = 30_000;

    private final ClockedJWKSource source;
    private final ExecutorService refresher;
    private final FetchRecorder recorder;

    IssuerKeys(IssuerConfig config, URL jwksUri, ResourceRetriever retriever, Clock clock, OidcMetrics metrics) {
        recorder = new FetchRecorder(new URLBasedJWKSetSource<>(jwksUri, retriever), config.name(), clock, metrics);
        refresher = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
                .name("twofold-jwks-" + config.name()).factory());
        long ttl = config.cacheTtl().toMillis();
        JWKSourceBuilder<SecurityContext> builder = JWKSourceBuilder.create(recorder)
                .cache(ttl, REFRESH_TIMEOUT_MILLIS)
                .refreshAheadCache(Math.min(REFRESH_AHEAD_MILLIS, ttl - REFRESH_TIMEOUT_MILLIS), null, refresher, true,
                        null, false)
                .rateLimited(config.minRefreshInterval().toMillis(),
                        event -> metrics.jwksRefresh(config.name(), "rate_limited"))
                .retrying(true);
        if (config.outageTolerance().isZero()) {
            builder.outageTolerant(false);
        } else {
            builder.outageTolerant(config.outageTolerance().toMillis());
        }
        // The builder wraps the chain in a JWKSetBasedJWKSource, which reads the system clock; keep the chain only.
        JWKSetSource<SecurityContext> chain = ((JWKSetBasedJWKSource<SecurityContext>) builder.build())
                .getJWKSetSource();
        source = new ClockedJWKSource(chain, clock);
    }

    /** The key source for {@link SignatureCheck}. */
    ClockedJWKSource source() {
        return source;
    }

    /** Fetches the keys unless cached: used once after discovery so the first token does not pay for it. */
    void warmUp() throws KeySourceException {
        source.current();
    }

    /** Whether the last fetch attempt succeeded (true before the first). */
    boolean reachable() {
        return recorder.state.reachable();
    }

    FetchState state() {
        return recorder.state;
    }

    @Override
    public void close() throws IOException {
        source.close(); // closes the refresh-ahead executor too (shutdownExecutorOnClose)
        refresher.shutdownNow();
    }

    /**
     * The outcome of the latest fetch attempts.
     *
     * @param reachable the last attempt succeeded (or none was made)
     * @param lastSuccess when keys were last fetched, {@code null} if never
     * @param keyIds the key IDs of the last fetched set
     * @param lastError the last failure since the last success, {@code null} if none
     */
    record FetchState(boolean reachable, Instant lastSuccess, List<String> keyIds, String lastError) {
        static final FetchState INITIAL = new FetchState(true, null, List.of(), null);
    }

    /** The bottom of the chain: every real fetch passes here once, and is counted and remembered. */
    private static final class FetchRecorder implements JWKSetSource<SecurityContext> {
        private final JWKSetSource<SecurityContext> fetcher;
        private final String issuer;
        private final Clock clock;
        private final OidcMetrics metrics;
        private volatile FetchState state = FetchState.INITIAL;

        FetchRecorder(JWKSetSource<SecurityContext> fetcher, String issuer, Clock clock, OidcMetrics metrics) {
            this.fetcher = fetcher;
            this.issuer = issuer;
            this.clock = clock;
            this.metrics = metrics;
        }

        @Override
        public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long currentTime, SecurityContext context)
                throws KeySourceException {
            try {
                JWKSet keys = fetcher.getJWKSet(evaluator, currentTime, context);
                state = new FetchState(true, clock.instant(),
                        keys.getKeys().stream().map(JWK::getKeyID).filter(Objects::nonNull).toList(), null);
                metrics.jwksRefresh(issuer, "success");
                return keys;
            } catch (JWKSetUnavailableException e) {
                FetchState previous = state;
                state = new FetchState(false, previous.lastSuccess(), previous.keyIds(), e.getMessage());
                metrics.jwksRefresh(issuer, "failure");
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            fetcher.close();
        }
    }
}
