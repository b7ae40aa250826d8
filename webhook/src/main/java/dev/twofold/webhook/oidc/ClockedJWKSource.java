package dev.twofold.webhook.oidc;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.util.List;

/**
 * nimbus' {@code JWKSetBasedJWKSource} with an injected clock: read the cached set; on a miss, ask once more with a
 * reference-comparison evaluator, which lets the cache refresh at most once (and the rate limiter below decide).
 * nimbus' own version reads {@code System.currentTimeMillis()}, which would leave cache expiry, rate limiting and
 * outage tolerance untestable without real waiting; every layer below takes the time passed in here.
 */
final class ClockedJWKSource implements JWKSource<SecurityContext>, Closeable {

    private final JWKSetSource<SecurityContext> source;
    private final Clock clock;

    ClockedJWKSource(JWKSetSource<SecurityContext> source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        long now = clock.millis();
        JWKSet keys = source.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), now, context);
        List<JWK> selected = selector.select(keys);
        if (selected.isEmpty()) {
            JWKSet fresher = source.getJWKSet(JWKSetCacheRefreshEvaluator.referenceComparison(keys), now, context);
            selected = selector.select(fresher);
        }
        return selected;
    }

    /** The currently usable key set, refreshing it if due (for warm-up and status). */
    JWKSet current() throws KeySourceException {
        return source.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), clock.millis(), null);
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
