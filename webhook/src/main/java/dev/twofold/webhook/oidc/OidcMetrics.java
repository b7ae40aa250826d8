package dev.twofold.webhook.oidc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The OIDC authenticator's metrics, all low-cardinality (never a user, token or key ID):
 *
 * <ul>
 *   <li>{@code twofold_oidc_verifications_total{issuer, result, reason}}: one per verified token (cache hits
 *       included); {@code issuer} is the OidcIssuer's name ({@value #NO_ISSUER} when the token names none that is
 *       configured), {@code result} is {@code accepted} or {@code rejected}, {@code reason} is {@code ok} or the
 *       {@link VerificationFailure#reason()};
 *   <li>{@code twofold_oidc_jwks_refreshes_total{issuer, outcome}}: key set fetches ({@code success},
 *       {@code failure}), fetches the rate limit refused ({@code rate_limited}) and discovery failures
 *       ({@code discovery_failure});
 *   <li>{@code twofold_oidc_cache_requests_total{cache, result}}: {@code cache} is {@code positive} or
 *       {@code negative}, {@code result} {@code hit} or {@code miss};
 *   <li>{@code twofold_oidc_issuers_loaded}: OidcIssuers whose tokens are being verified (valid, and not shadowed by
 *       an older OidcIssuer with the same url).
 * </ul>
 */
public final class OidcMetrics {

    public static final String VERIFICATIONS = "twofold.oidc.verifications";
    public static final String JWKS_REFRESHES = "twofold.oidc.jwks.refreshes";
    public static final String CACHE_REQUESTS = "twofold.oidc.cache.requests";
    public static final String ISSUERS_LOADED = "twofold.oidc.issuers.loaded";
    /** The issuer tag of tokens that name no configured issuer (or none at all). */
    public static final String NO_ISSUER = "none";

    private final MeterRegistry registry;
    private final Counter positiveHit;
    private final Counter positiveMiss;
    private final Counter negativeHit;
    private final Counter negativeMiss;
    // issuer -> reason -> counter: the request path must not build meter IDs.
    private final Map<String, Map<String, Counter>> verifications = new ConcurrentHashMap<>();

    public OidcMetrics(MeterRegistry registry) {
        this.registry = registry;
        positiveHit = cacheCounter("positive", "hit");
        positiveMiss = cacheCounter("positive", "miss");
        negativeHit = cacheCounter("negative", "hit");
        negativeMiss = cacheCounter("negative", "miss");
    }

    /** Publishes how many issuers the authenticator serves. */
    public void issuersLoaded(IntSupplier count) {
        Gauge.builder(ISSUERS_LOADED, count, c -> c.getAsInt())
                .description("OidcIssuers whose tokens are verified")
                .strongReference(true) // the supplier is often a method reference nobody else holds
                .register(registry);
    }

    void verification(String issuer, TokenVerification result) {
        String reason = result instanceof VerificationFailure failure ? failure.reason() : "ok";
        verifications.computeIfAbsent(issuer, i -> new ConcurrentHashMap<>())
                .computeIfAbsent(reason, r -> Counter.builder(VERIFICATIONS)
                        .description("Bearer tokens verified by the OIDC authenticator")
                        .tag("issuer", issuer)
                        .tag("result", r.equals("ok") ? "accepted" : "rejected")
                        .tag("reason", r)
                        .register(registry))
                .increment();
    }

    void jwksRefresh(String issuer, String outcome) {
        Counter.builder(JWKS_REFRESHES).description("Signing key set fetches per OidcIssuer")
                .tag("issuer", issuer).tag("outcome", outcome).register(registry).increment();
    }

    void positiveCache(boolean hit) {
        (hit ? positiveHit : positiveMiss).increment();
    }

    void negativeCache(boolean hit) {
        (hit ? negativeHit : negativeMiss).increment();
    }

    private Counter cacheCounter(String cache, String result) {
        return Counter.builder(CACHE_REQUESTS).description("Verification cache lookups")
                .tag("cache", cache).tag("result", result).register(registry);
    }
}
