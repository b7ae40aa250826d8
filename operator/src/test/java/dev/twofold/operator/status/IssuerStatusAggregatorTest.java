package dev.twofold.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.v1alpha1.OidcIssuer;
import dev.twofold.api.v1alpha1.OidcIssuerSpec;
import dev.twofold.api.v1alpha1.OidcIssuerStatus;
import dev.twofold.api.validation.OidcIssuerValidator;
import dev.twofold.webhook.oidc.ProbeResult;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IssuerStatusAggregatorTest {

    static final String URL = "https://127.0.0.1:8443/realms/twofold";
    static final String JWKS = URL + "/protocol/openid-connect/certs";
    static final Instant T0 = Instant.parse("2026-01-01T12:00:00.250Z");
    static final IssuerAssessment LOADED = new IssuerAssessment.Probed(new ProbeResult.KeysLoaded(JWKS,
            List.of("a", "b"), 2));
    static final IssuerAssessment DOWN = new IssuerAssessment.Probed(new ProbeResult.Undiscovered(
            "cannot fetch " + URL + "/.well-known/openid-configuration: Connection refused"));

    final IssuerStatusAggregator aggregator = new IssuerStatusAggregator();

    static OidcIssuer issuer(long generation) {
        OidcIssuer issuer = OidcIssuer.of("keycloak", new OidcIssuerSpec(URL, List.of("kubectl"), null, null, null,
                null, null));
        issuer.getMetadata().setGeneration(generation);
        return issuer;
    }

    /** The issuer as stored after {@code status} was written. */
    static OidcIssuer stored(OidcIssuer issuer, OidcIssuerStatus status) {
        issuer.setStatus(status);
        return issuer;
    }

    static Condition condition(OidcIssuerStatus status, String type) {
        return status.conditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }

    static String summary(Condition c) {
        return c.getType() + "=" + c.getStatus() + " " + c.getReason() + ": " + c.getMessage();
    }

    @Test
    @DisplayName("an issuer with usable keys is ready, with its key IDs and the time they were fetched")
    void ready() {
        OidcIssuerStatus status = aggregator.aggregate(issuer(3), LOADED, T0);

        assertThat(status.observedGeneration()).isEqualTo(3L);
        assertThat(status.conditions()).extracting(IssuerStatusAggregatorTest::summary).containsExactly(
                "DiscoveryOK=True Discovered: the discovery document names this issuer; jwks_uri is " + JWKS,
                "KeysLoaded=True KeysFetched: 2 signing keys for [RS256, ES256] at " + JWKS,
                "Ready=True Verifying: tokens with iss " + URL + " and aud in [kubectl] are verified");
        assertThat(status.conditions()).allSatisfy(c -> {
            assertThat(c.getObservedGeneration()).isEqualTo(3L);
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T12:00:00Z");
        });
        assertThat(status.keyIds()).containsExactly("a", "b");
        assertThat(status.lastRefresh()).isEqualTo("2026-01-01T12:00:00Z");
    }

    @Test
    @DisplayName("an unchanged issuer probed again within the resolution period needs no status write")
    void noWriteWhileUnchanged() {
        OidcIssuer issuer = stored(issuer(1), aggregator.aggregate(issuer(1), LOADED, T0));

        OidcIssuerStatus again = aggregator.aggregate(issuer, LOADED, T0.plus(Duration.ofMinutes(25)));

        assertThat(IssuerStatusAggregator.changed(issuer, again)).isFalse();
    }

    @Test
    @DisplayName("lastRefresh moves when the key IDs change")
    void rotation() {
        OidcIssuer issuer = stored(issuer(1), aggregator.aggregate(issuer(1), LOADED, T0));

        OidcIssuerStatus rotated = aggregator.aggregate(issuer, new IssuerAssessment.Probed(
                new ProbeResult.KeysLoaded(JWKS, List.of("b", "c"), 2)), T0.plus(Duration.ofMinutes(5)));

        assertThat(rotated.keyIds()).containsExactly("b", "c");
        assertThat(rotated.lastRefresh()).isEqualTo("2026-01-01T12:05:00Z");
        // Still ready: no condition flipped, so no transition time moved.
        assertThat(rotated.conditions()).allSatisfy(c ->
                assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T12:00:00Z"));
    }

    @Test
    @DisplayName("lastRefresh moves once the stored time is older than the resolution period")
    void resolution() {
        OidcIssuer issuer = stored(issuer(1), aggregator.aggregate(issuer(1), LOADED, T0));

        OidcIssuerStatus later = aggregator.aggregate(issuer, LOADED, T0.plus(Duration.ofMinutes(30)));

        assertThat(IssuerStatusAggregator.changed(issuer, later)).isTrue();
        assertThat(later.lastRefresh()).isEqualTo("2026-01-01T12:30:00Z");
    }

    @Test
    @DisplayName("an unreachable IdP: discovery failed with the error, keys unknown, not ready; the last keys are kept")
    void unreachable() {
        OidcIssuer issuer = stored(issuer(1), aggregator.aggregate(issuer(1), LOADED, T0));

        OidcIssuerStatus down = aggregator.aggregate(issuer, DOWN, T0.plus(Duration.ofMinutes(5)));

        assertThat(down.conditions()).extracting(IssuerStatusAggregatorTest::summary).containsExactly(
                "DiscoveryOK=False DiscoveryFailed: cannot fetch " + URL
                        + "/.well-known/openid-configuration: Connection refused",
                "KeysLoaded=Unknown DiscoveryFailed: not fetched: discovery failed",
                "Ready=False DiscoveryFailed: discovery failed: cannot fetch " + URL
                        + "/.well-known/openid-configuration: Connection refused");
        assertThat(condition(down, "Ready").getLastTransitionTime()).isEqualTo("2026-01-01T12:05:00Z");
        assertThat(down.keyIds()).containsExactly("a", "b");
        assertThat(down.lastRefresh()).isEqualTo("2026-01-01T12:00:00Z");
    }

    @Test
    @DisplayName("a new generation whose IdP cannot be reached starts without keys")
    void newGenerationUnreachable() {
        OidcIssuer issuer = stored(issuer(2), aggregator.aggregate(issuer(1), LOADED, T0));

        OidcIssuerStatus down = aggregator.aggregate(issuer, DOWN, T0);

        assertThat(down.observedGeneration()).isEqualTo(2L);
        assertThat(down.keyIds()).isEmpty();
        assertThat(down.lastRefresh()).isNull();
    }

    @Test
    @DisplayName("a key set that cannot be fetched: discovery good, keys and readiness not")
    void keysUnavailable() {
        OidcIssuerStatus status = aggregator.aggregate(issuer(1), new IssuerAssessment.Probed(
                new ProbeResult.KeysUnavailable(JWKS, "cannot fetch " + JWKS + ": HTTP 404 Not Found")), T0);

        assertThat(status.conditions()).extracting(IssuerStatusAggregatorTest::summary).containsExactly(
                "DiscoveryOK=True Discovered: the discovery document names this issuer; jwks_uri is " + JWKS,
                "KeysLoaded=False KeysUnavailable: cannot fetch " + JWKS + ": HTTP 404 Not Found",
                "Ready=False KeysUnavailable: the signing keys cannot be fetched: cannot fetch " + JWKS
                        + ": HTTP 404 Not Found");
    }

    @Test
    @DisplayName("a key set without a key for the issuer's algorithms is not ready")
    void noUsableKeys() {
        OidcIssuerStatus status = aggregator.aggregate(issuer(1), new IssuerAssessment.Probed(
                new ProbeResult.NoUsableKeys(JWKS, 1)), T0);

        assertThat(summary(condition(status, "KeysLoaded"))).isEqualTo("KeysLoaded=False NoUsableKeys: the key set at "
                + JWKS + " holds 1 key, none of them a signing key for [RS256, ES256]");
        assertThat(condition(status, "Ready").getReason()).isEqualTo("NoUsableKeys");
        assertThat(status.keyIds()).isEmpty();
        assertThat(status.lastRefresh()).isEqualTo("2026-01-01T12:00:00Z");
    }

    @Test
    @DisplayName("an invalid spec is not probed, and Ready lists every field error")
    void invalid() {
        OidcIssuer issuer = OidcIssuer.of("bad", new OidcIssuerSpec("http://idp.example.com", List.of(), null, null,
                null, "2m", null));
        issuer.getMetadata().setGeneration(4L);

        OidcIssuerStatus status = aggregator.aggregate(issuer, new IssuerAssessment.Invalid(
                OidcIssuerValidator.validate(issuer.getSpec())), T0);

        assertThat(status.conditions()).extracting(IssuerStatusAggregatorTest::summary).containsExactly(
                "DiscoveryOK=Unknown InvalidSpec: not probed: the spec is invalid",
                "KeysLoaded=Unknown InvalidSpec: not probed: the spec is invalid",
                "Ready=False InvalidSpec: the spec is invalid: spec.url: must use https; spec.audiences: must name "
                        + "at least one audience; spec.clockSkew: must be between 0s and 1m; got 2m");
        assertThat(status.keyIds()).isEmpty();
        assertThat(status.lastRefresh()).isNull();
    }

    @Test
    @DisplayName("an issuer shadowed by an older one with the same url says which")
    void shadowed() {
        OidcIssuerStatus status = aggregator.aggregate(issuer(1), new IssuerAssessment.Shadowed("corp"), T0);

        assertThat(summary(condition(status, "Ready"))).isEqualTo("Ready=False DuplicateUrl: the older OidcIssuer "
                + "corp has the same url " + URL + " and serves it; this one is ignored until its url changes or "
                + "corp is deleted");
    }
}
