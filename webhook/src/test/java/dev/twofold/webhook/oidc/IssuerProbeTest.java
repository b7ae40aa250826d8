package dev.twofold.webhook.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.twofold.api.v1alpha1.ClaimMappings;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The operator's probe of an issuer, against a real IdP on loopback HTTPS. */
class IssuerProbeTest {

    private static TestCa ca;
    private static TestIdp idp;
    private static TestTokens keys;
    private final IssuerProbe probe = IssuerProbe.https();

    @BeforeAll
    static void startIdp() throws Exception {
        ca = new TestCa("probe-test-ca");
        idp = new TestIdp(ca);
        keys = new TestTokens("1");
    }

    @AfterAll
    static void stopIdp() {
        idp.close();
    }

    @BeforeEach
    void publishTheTestKeys() {
        idp.publish(keys.publicKeys());
        idp.discoveryDocument(null);
    }

    private static IssuerConfig config(String caPem, JWSAlgorithm... algorithms) {
        return new IssuerConfig("keycloak", idp.issuer(), Set.of("kubectl"), Set.of(algorithms), ClaimMappings.DEFAULTS,
                caPem, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(1));
    }

    private static IssuerConfig config(JWSAlgorithm... algorithms) throws Exception {
        return config(ca.pem(), algorithms);
    }

    @Test
    @DisplayName("a reachable issuer's usable keys are reported by kid, sorted")
    void keysLoaded() throws Exception {
        ProbeResult result = probe.probe(config(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA));

        assertThat(result).isEqualTo(new ProbeResult.KeysLoaded(idp.jwksUri(), List.of("ec-1", "ed-1", "rsa-1"), 3));
    }

    @Test
    @DisplayName("keys of algorithms the issuer does not allow are not counted")
    void pinnedAlgorithms() throws Exception {
        ProbeResult result = probe.probe(config(JWSAlgorithm.RS256));

        assertThat(result).isEqualTo(new ProbeResult.KeysLoaded(idp.jwksUri(), List.of("rsa-1"), 1));
    }

    @Test
    @DisplayName("a key set of encryption keys, short RSA keys and other curves has no usable key")
    void noUsableKeys() throws Exception {
        idp.publish(new RSAKeyGenerator(2048).keyID("enc").keyUse(KeyUse.ENCRYPTION).generate().toPublicJWK(),
                new RSAKeyGenerator(1024, true).keyID("short").keyUse(KeyUse.SIGNATURE).generate().toPublicJWK(),
                new ECKeyGenerator(Curve.P_384).keyID("p384").keyUse(KeyUse.SIGNATURE).generate().toPublicJWK());

        ProbeResult result = probe.probe(config(JWSAlgorithm.RS256, JWSAlgorithm.ES256));

        assertThat(result).isEqualTo(new ProbeResult.NoUsableKeys(idp.jwksUri(), 3));
    }

    @Test
    @DisplayName("a discovery document naming another issuer fails discovery")
    void mixUp() throws Exception {
        idp.discoveryDocument("{\"issuer\":\"https://evil.example\",\"jwks_uri\":\"" + idp.jwksUri() + "\"}");

        assertThat(probe.probe(config(JWSAlgorithm.RS256))).isEqualTo(new ProbeResult.Undiscovered(
                "the discovery document names issuer \"https://evil.example\", not " + idp.issuer()));
    }

    @Test
    @DisplayName("a server certificate from a CA the spec does not name fails discovery, in one line")
    void untrusted() throws Exception {
        ProbeResult result = probe.probe(config(new TestCa("other-ca").pem(), JWSAlgorithm.RS256));

        assertThat(result).isInstanceOfSatisfying(ProbeResult.Undiscovered.class, undiscovered -> {
            assertThat(undiscovered.error()).startsWith("cannot fetch " + idp.issuer()
                    + "/.well-known/openid-configuration: ").contains("PKIX path building failed");
            assertThat(undiscovered.error()).doesNotContain("\n").doesNotContain("\tat ");
        });
    }

    @Test
    @DisplayName("a CA bundle that is not a certificate is reported before any connection")
    void unusableCa() {
        ProbeResult result = probe.probe(config("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                JWSAlgorithm.RS256));

        assertThat(result).isInstanceOfSatisfying(ProbeResult.Undiscovered.class, undiscovered ->
                assertThat(undiscovered.error()).startsWith("the certificateAuthority cannot be used: "));
    }

    @Test
    @DisplayName("an issuer URL without a discovery document fails discovery with the HTTP status")
    void noDiscoveryDocument() throws Exception {
        String other = idp.issuer().replace("/realms/twofold", "/realms/other");
        IssuerConfig config = new IssuerConfig("other", other, Set.of("kubectl"), Set.of(JWSAlgorithm.RS256),
                ClaimMappings.DEFAULTS, ca.pem(), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(30),
                Duration.ofHours(1));

        assertThat(probe.probe(config)).isEqualTo(new ProbeResult.Undiscovered("cannot fetch " + other
                + "/.well-known/openid-configuration: HTTP 404 Not Found"));
    }

    @Test
    @DisplayName("a key set URL answering 404 leaves discovery good and the keys unavailable")
    void jwksNotFound() throws Exception {
        String missing = idp.issuer() + "/missing";
        idp.discoveryDocument("{\"issuer\":\"" + idp.issuer() + "\",\"jwks_uri\":\"" + missing + "\"}");

        ProbeResult result = probe.probe(config(JWSAlgorithm.RS256));

        assertThat(result).isEqualTo(new ProbeResult.KeysUnavailable(missing, "cannot fetch " + missing
                + ": HTTP 404 Not Found"));
    }

    @Test
    @DisplayName("a key set that is not JSON is unavailable keys")
    void jwksNotJson() throws Exception {
        idp.publishRaw("<html>maintenance</html>");

        ProbeResult result = probe.probe(config(JWSAlgorithm.RS256));

        assertThat(result).isInstanceOfSatisfying(ProbeResult.KeysUnavailable.class, unavailable -> {
            assertThat(unavailable.jwksUri()).isEqualTo(idp.jwksUri());
            assertThat(unavailable.error()).startsWith("the document at " + idp.jwksUri() + " is not a JWK set: ");
        });
    }

    @Test
    @DisplayName("an issuer that refuses connections fails discovery with the connection error")
    void unreachable() throws Exception {
        IssuerConfig config = config(JWSAlgorithm.RS256);
        idp.stop();
        try {
            assertThat(probe.probe(config)).isEqualTo(new ProbeResult.Undiscovered("cannot fetch " + idp.issuer()
                    + "/.well-known/openid-configuration: Connection refused"));
        } finally {
            idp.restart();
        }
    }
}
