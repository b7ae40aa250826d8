package dev.twofold.webhook.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import dev.twofold.api.v1alpha1.ClaimMappings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One test world: a CA, a real HTTPS IdP serving the test keys, a movable clock, and the production verifiers
 * (real {@link HttpsRetriever} trusting only the test CA) wired to a fresh meter registry.
 */
public final class OidcFixture implements AutoCloseable {

    static final String NAME = "test-idp";
    static final Duration CACHE_TTL = Duration.ofMinutes(5);
    static final Duration MIN_INTERVAL = Duration.ofSeconds(30);
    static final Duration OUTAGE_TOLERANCE = Duration.ofHours(1);

    final TestCa ca;
    final TestIdp idp;
    public final TestTokens keys;
    public final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final OidcMetrics metrics = new OidcMetrics(registry);
    public final IssuerConfig config;
    public final IssuerVerifier issuer;
    public final TokenVerifier verifier;

    public OidcFixture() throws Exception {
        ca = new TestCa("twofold-test-ca");
        idp = new TestIdp(ca);
        keys = new TestTokens("1");
        idp.publish(keys.publicKeys());
        config = config(idp.issuer(), ca.pem());
        issuer = new IssuerVerifier(config, JwsVerifiers.JDK, clock, metrics);
        verifier = new TokenVerifier(List.of(issuer), CacheLimits.DEFAULT, clock, metrics);
    }

    static IssuerConfig config(String url, String caPem) {
        return new IssuerConfig(NAME, url, Set.of("kubectl", "kubernetes"),
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA), ClaimMappings.DEFAULTS, caPem,
                Duration.ofSeconds(30), CACHE_TTL, MIN_INTERVAL, OUTAGE_TOLERANCE);
    }

    /** Fresh claims at the clock's now (a distinct {@code jti} keeps tokens apart in the caches). */
    public Map<String, Object> claims() {
        Map<String, Object> claims = TestTokens.claims(idp.issuer(), clock.instant());
        claims.put("jti", java.util.UUID.randomUUID().toString());
        return claims;
    }

    /** The value of {@code twofold_oidc_verifications_total} for these tags. */
    double verifications(String result, String reason) {
        var counter = registry.find(OidcMetrics.VERIFICATIONS).tag("issuer", NAME).tag("result", result)
                .tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    double refreshes(String outcome) {
        var counter = registry.find(OidcMetrics.JWKS_REFRESHES).tag("issuer", NAME).tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        verifier.close();
        idp.close();
    }
}
