package dev.twofold.webhook.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.policy.Evidence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The long-lived issuer verifier against a real HTTPS IdP: user mapping, key rotation, outages, unknown-kid floods,
 * TLS trust and discovery checks. The clock is the test's, so cache expiry and rate limits are exact.
 */
class IssuerKeyLifecycleTest {

    OidcFixture world;

    @BeforeEach
    void start() throws Exception {
        world = new OidcFixture();
    }

    @AfterEach
    void stop() {
        world.close();
    }

    private TokenVerification verify(String token) {
        return world.verifier.verify(token);
    }

    private static String reason(TokenVerification result) {
        return result instanceof VerificationFailure failure ? failure.reason() : "ok";
    }

    @Test
    @DisplayName("a valid token maps to the user structured authentication would produce")
    void mapsUser() throws Exception {
        Map<String, Object> claims = world.claims();
        claims.put("auth_time", 1767225600.75);

        TokenVerification result = verify(world.keys.token(world.keys.rsa, claims));

        assertThat(result).isInstanceOf(VerifiedToken.class);
        AuthenticatedUser user = ((VerifiedToken) result).user();
        assertThat(user.username()).isEqualTo("oidc:alice");
        assertThat(user.uid()).isEqualTo("f3b2c1d0-user-alice");
        assertThat(user.groups()).containsExactly("oidc:platform-admins", "oidc:developers");
        assertThat(user.extra()).containsExactlyInAnyOrderEntriesOf(Map.of(
                Evidence.AMR, List.of("pwd", "otp"),
                Evidence.ACR, List.of("phr"),
                Evidence.AUTH_TIME, List.of("1767225600"),
                Evidence.ISS, List.of(world.idp.issuer())));
        assertThat(Evidence.fromUserExtra(user.extra()).malformed()).isEmpty();
        assertThat(((VerifiedToken) result).audiences()).containsExactly("kubectl");
        assertThat(world.verifications("accepted", "ok")).isEqualTo(1);
    }

    @Test
    @DisplayName("discovery and keys are fetched once, not per request")
    void builtOnce() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(verify(world.keys.token(world.keys.ec, world.claims()))).isInstanceOf(VerifiedToken.class);
        }
        assertThat(world.idp.hits(TestIdp.REALM + Discovery.WELL_KNOWN)).isEqualTo(1);
        assertThat(world.idp.jwksFetches()).isEqualTo(1);
        assertThat(world.issuer.health().ready()).isTrue();
        assertThat(world.issuer.health().keyIds()).containsExactly("rsa-1", "ec-1", "ed-1");
    }

    @Test
    @DisplayName("rotation: a new kid is fetched once; a key removed from the JWKS stops verifying once the cache "
            + "refreshes")
    void rotation() throws Exception {
        TestTokens next = new TestTokens("2");
        assertThat(verify(world.keys.token(world.keys.rsa, world.claims()))).isInstanceOf(VerifiedToken.class);

        world.idp.publish(next.rsa.toPublicJWK());
        assertThat(verify(next.token(next.rsa, world.claims()))).isInstanceOf(VerifiedToken.class);
        assertThat(world.idp.jwksFetches()).isEqualTo(2);

        // Within the refreshed cache the old key is gone at once; it never comes back after the TTL either.
        assertThat(reason(verify(world.keys.token(world.keys.rsa, world.claims())))).isEqualTo("unknown_kid");
        world.clock.advance(OidcFixture.CACHE_TTL.plusSeconds(1));
        assertThat(reason(verify(world.keys.token(world.keys.rsa, world.claims())))).isEqualTo("unknown_kid");
        assertThat(verify(next.token(next.rsa, world.claims()))).isInstanceOf(VerifiedToken.class);
    }

    @Test
    @DisplayName("a key dropped from the JWKS keeps verifying until the cache TTL, then stops")
    void removalWaitsForRefresh() throws Exception {
        assertThat(verify(world.keys.token(world.keys.ec, world.claims()))).isInstanceOf(VerifiedToken.class);
        world.idp.publish(world.keys.ec.toPublicJWK()); // the RSA key is withdrawn after the keys were cached
        assertThat(verify(world.keys.token(world.keys.rsa, world.claims()))).isInstanceOf(VerifiedToken.class);

        world.clock.advance(OidcFixture.CACHE_TTL.plusSeconds(1));

        assertThat(reason(verify(world.keys.token(world.keys.rsa, world.claims())))).isEqualTo("unknown_kid");
        assertThat(verify(world.keys.token(world.keys.ec, world.claims()))).isInstanceOf(VerifiedToken.class);
    }

    @Test
    @DisplayName("outage: cached keys keep working past their TTL, unknown kids fail as idp_unavailable, and the "
            + "tolerance is bounded")
    void outage() throws Exception {
        assertThat(verify(world.keys.token(world.keys.ec, world.claims()))).isInstanceOf(VerifiedToken.class);
        world.idp.stop();

        world.clock.advance(OidcFixture.CACHE_TTL.plusSeconds(1));
        assertThat(verify(world.keys.token(world.keys.ec, world.claims()))).isInstanceOf(VerifiedToken.class);
        assertThat(world.refreshes("failure")).isGreaterThanOrEqualTo(1);

        TestTokens stranger = new TestTokens("new");
        world.clock.advance(OidcFixture.MIN_INTERVAL.plusSeconds(1));
        assertThat(reason(verify(stranger.token(stranger.rsa, world.claims())))).isEqualTo("idp_unavailable");
        assertThat(world.issuer.health().reachable()).isFalse();

        world.clock.advance(OidcFixture.OUTAGE_TOLERANCE.plus(OidcFixture.CACHE_TTL).plusMinutes(1));
        assertThat(reason(verify(world.keys.token(world.keys.ec, world.claims())))).isEqualTo("idp_unavailable");
    }

    @Test
    @DisplayName("a flood of random kids causes at most one extra JWKS fetch per rate-limit interval")
    void noFetchStorm() throws Exception {
        assertThat(world.idp.jwksFetches()).isZero();
        world.issuer.discover();
        assertThat(world.idp.jwksFetches()).isEqualTo(1);

        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            var header = TestTokens.header("ES256", "random-" + i);
            reasons.add(reason(verify(world.keys.sign(world.keys.ec, header, world.claims()))));
        }
        assertThat(reasons).containsOnly("unknown_kid");
        assertThat(world.idp.jwksFetches()).isEqualTo(2);
        assertThat(world.refreshes("rate_limited")).isGreaterThanOrEqualTo(498);

        world.clock.advance(OidcFixture.MIN_INTERVAL.plusSeconds(1));
        for (int i = 0; i < 100; i++) {
            verify(world.keys.sign(world.keys.ec, TestTokens.header("ES256", "again-" + i), world.claims()));
        }
        assertThat(world.idp.jwksFetches()).isEqualTo(4);
    }

    @Test
    @DisplayName("TLS: an IdP whose certificate another CA signed is unreachable (no trust-all)")
    void untrustedCertificate() throws Exception {
        TestCa other = new TestCa("someone-else");
        IssuerConfig config = OidcFixture.config(world.idp.issuer(), other.pem());
        try (IssuerVerifier issuer = new IssuerVerifier(config, JwsVerifiers.JDK, world.clock, world.metrics);
                TokenVerifier verifier = new TokenVerifier(List.of(issuer), CacheLimits.DEFAULT, world.clock,
                        world.metrics)) {
            TokenVerification result = verifier.verify(world.keys.token(world.keys.rsa, world.claims()));
            assertThat(reason(result)).isEqualTo("idp_unavailable");
            assertThat(((VerificationFailure) result).message()).startsWith("discovery failed: cannot fetch");
            assertThat(issuer.health().discovered()).isFalse();
        }
    }

    @Test
    @DisplayName("discovery: a document naming another issuer is refused")
    void discoveryIssuerMismatch() throws Exception {
        world.idp.discoveryDocument("{\"issuer\":\"https://evil.example\",\"jwks_uri\":\"" + world.idp.jwksUri()
                + "\"}");
        TokenVerification result = verify(world.keys.token(world.keys.rsa, world.claims()));
        assertThat(((VerificationFailure) result).message())
                .isEqualTo("discovery failed: the discovery document names issuer \"https://evil.example\", not "
                        + world.idp.issuer());
    }

    @Test
    @DisplayName("discovery: a jwks_uri over plain http is refused")
    void discoveryHttpJwks() throws Exception {
        world.idp.discoveryDocument("{\"issuer\":\"" + world.idp.issuer() + "\",\"jwks_uri\":\"http://127.0.0.1/k\"}");
        TokenVerification result = verify(world.keys.token(world.keys.rsa, world.claims()));
        assertThat(((VerificationFailure) result).message())
                .isEqualTo("discovery failed: jwks_uri \"http://127.0.0.1/k\" is not an https URL");
        assertThat(world.refreshes("discovery_failure")).isEqualTo(1);
    }

    @Test
    @DisplayName("positive cache: a repeated token is a hit, and a cached result never outlives exp")
    void positiveCache() throws Exception {
        Map<String, Object> claims = world.claims();
        claims.put("exp", world.clock.instant().plusSeconds(60).getEpochSecond());
        String token = world.keys.token(world.keys.rsa, claims);
        assertThat(verify(token)).isInstanceOf(VerifiedToken.class);
        assertThat(verify(token)).isInstanceOf(VerifiedToken.class);
        assertThat(world.registry.find(OidcMetrics.CACHE_REQUESTS).tag("cache", "positive").tag("result", "hit")
                .counter().count()).isEqualTo(1);

        // Past exp the entry is gone (a miss, verified again: still within the 30s skew), past the skew it fails.
        world.clock.advance(Duration.ofSeconds(61));
        assertThat(verify(token)).isInstanceOf(VerifiedToken.class);
        assertThat(world.registry.find(OidcMetrics.CACHE_REQUESTS).tag("cache", "positive").tag("result", "hit")
                .counter().count()).isEqualTo(1);
        world.clock.advance(Duration.ofSeconds(30));
        assertThat(reason(verify(token))).isEqualTo("expired");
    }

    @Test
    @DisplayName("negative cache: a repeated bad token is answered from the cache; unknown kids are not cached")
    void negativeCache() throws Exception {
        Map<String, Object> claims = world.claims();
        claims.put("aud", "payments");
        String token = world.keys.token(world.keys.rsa, claims);
        assertThat(reason(verify(token))).isEqualTo("wrong_audience");
        assertThat(reason(verify(token))).isEqualTo("wrong_audience");
        assertThat(world.registry.find(OidcMetrics.CACHE_REQUESTS).tag("cache", "negative").tag("result", "hit")
                .counter().count()).isEqualTo(1);
        assertThat(world.verifications("rejected", "wrong_audience")).isEqualTo(2);
    }
}
