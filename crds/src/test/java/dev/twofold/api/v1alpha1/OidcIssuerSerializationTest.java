package dev.twofold.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.validation.OidcIssuerValidator;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** OidcIssuer reads and writes as the YAML users and the operator exchange with the API server. */
class OidcIssuerSerializationTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Test
    @DisplayName("a minimal issuer reads with every default filled in")
    void readsDefaults() {
        OidcIssuer issuer = SERIALIZATION.unmarshal("""
                apiVersion: twofold.dev/v1alpha1
                kind: OidcIssuer
                metadata: {name: keycloak}
                spec:
                  url: https://127.0.0.1:8443/realms/twofold
                  audiences: [kubectl]
                status:
                  lastRefresh: "2026-01-01T00:00:00Z"
                  keyIds: [k1, k2]
                """, OidcIssuer.class);

        OidcIssuerSpec spec = issuer.getSpec();
        assertThat(spec.algorithms()).containsExactly(SigningAlgorithm.RS256, SigningAlgorithm.ES256);
        assertThat(spec.claimMappings().username()).isEqualTo(new ClaimMapping("preferred_username", "oidc:"));
        assertThat(spec.claimMappings().groups()).isEqualTo(new ClaimMapping("groups", "oidc:"));
        assertThat(spec.clockSkew()).isEqualTo("30s");
        assertThat(spec.jwksRefresh()).isEqualTo(JwksRefresh.DEFAULTS);
        assertThat(spec.certificateAuthority()).isNull();
        assertThat(issuer.getStatus().keyIds()).containsExactly("k1", "k2");
        assertThat(issuer.getStatus().conditions()).isEmpty();
        assertThat(OidcIssuerValidator.validate(spec).valid()).isTrue();
    }

    @Test
    @DisplayName("a partial claim mapping keeps the other half's default, and an empty prefix stays empty")
    void partialMapping() {
        OidcIssuerSpec spec = SERIALIZATION.unmarshal("""
                url: https://idp.example.com
                audiences: [k]
                claimMappings:
                  username: {claim: email}
                  groups: {prefix: ""}
                """, OidcIssuerSpec.class);

        assertThat(spec.claimMappings().username()).isEqualTo(new ClaimMapping("email", "oidc:"));
        assertThat(spec.claimMappings().groups()).isEqualTo(new ClaimMapping("groups", ""));
    }

    @Test
    @DisplayName("writing round-trips, with algorithms under their JOSE names")
    void roundTrip() {
        OidcIssuerSpec spec = new OidcIssuerSpec("https://idp.example.com", List.of("kubernetes"),
                List.of(SigningAlgorithm.EdDSA, SigningAlgorithm.PS256), null, null, "10s",
                new JwksRefresh("10m", null, "2h"));

        String yaml = SERIALIZATION.asYaml(OidcIssuer.of("idp", spec));

        assertThat(yaml).contains("- \"EdDSA\"", "- \"PS256\"", "cacheTTL: \"10m\"", "outageTolerance: \"2h\"")
                .doesNotContain("minInterval");
        assertThat(SERIALIZATION.unmarshal(yaml, OidcIssuer.class).getSpec()).isEqualTo(spec);
    }
}
