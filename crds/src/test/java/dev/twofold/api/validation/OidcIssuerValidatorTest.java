package dev.twofold.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.v1alpha1.OidcIssuerSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link OidcIssuerValidator}: specs written as YAML, every expected error and warning spelled out with its path. */
class OidcIssuerValidatorTest {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    /** A self-signed test CA (any X.509 certificate parses; the validator does not judge trust). */
    private static final String CA = """
            -----BEGIN CERTIFICATE-----
            MIIBdzCCAR2gAwIBAgIUMtW0z7GxW0GvJQ4o9V3GZPqg5xowCgYIKoZIzj0EAwIw
            ETEPMA0GA1UEAwwGdGVzdGNhMB4XDTI2MDEwMTAwMDAwMFoXDTM2MDEwMTAwMDAw
            MFowETEPMA0GA1UEAwwGdGVzdGNhMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
            """;

    private static OidcIssuerSpec spec(String yaml) {
        return YAML.unmarshal(yaml, OidcIssuerSpec.class);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a minimal issuer is valid and takes every default", """
                        url: https://idp.example.com/realms/prod
                        audiences: [kubernetes]
                        """, List.of(), List.of()),
                Arguments.of("every field set within bounds is valid", """
                        url: https://idp.example.com/realms/prod/
                        audiences: [kubernetes, kubectl]
                        algorithms: [ES256, EdDSA, PS512]
                        claimMappings:
                          username: {claim: email, prefix: "oidc:"}
                          groups: {claim: roles, prefix: "idp:"}
                        clockSkew: 60s
                        jwksRefresh: {cacheTTL: 10m, minInterval: 1m, outageTolerance: 24h}
                        """, List.of(), List.of()),
                Arguments.of("url and audiences are required", "algorithms: [RS256]",
                        List.of("spec.url: is required", "spec.audiences: must name at least one audience"),
                        List.of()),
                Arguments.of("the issuer must be https", """
                        url: http://idp.example.com
                        audiences: [k]
                        """, List.of("spec.url: must use https"), List.of()),
                Arguments.of("the issuer must not carry a query, fragment or user information", """
                        url: https://idp.example.com/?realm=x
                        audiences: [k]
                        """, List.of("spec.url: must not have a query or fragment"), List.of()),
                Arguments.of("user information in the issuer URL is refused", """
                        url: https://user:pw@idp.example.com/
                        audiences: [k]
                        """, List.of("spec.url: must not contain user information"), List.of()),
                Arguments.of("clock skew is capped at 60s", """
                        url: https://idp.example.com
                        audiences: [k]
                        clockSkew: 61s
                        """, List.of("spec.clockSkew: must be between 0s and 1m; got 61s"), List.of()),
                Arguments.of("clock skew must be a duration", """
                        url: https://idp.example.com
                        audiences: [k]
                        clockSkew: half a minute
                        """, List.of("spec.clockSkew: must be a duration such as 30s, 5m or 1h (units h, m, s); got "
                        + "\"half a minute\""), List.of()),
                Arguments.of("an algorithm listed twice is an error", """
                        url: https://idp.example.com
                        audiences: [k]
                        algorithms: [RS256, RS256]
                        """, List.of("spec.algorithms[1]: RS256 is listed twice"), List.of()),
                Arguments.of("empty and repeated audiences", """
                        url: https://idp.example.com
                        audiences: [k, "", k]
                        """, List.of("spec.audiences[1]: must not be empty"),
                        List.of("spec.audiences[2]: \"k\" is listed twice")),
                Arguments.of("an empty prefix is legal but warned about", """
                        url: https://idp.example.com
                        audiences: [k]
                        claimMappings: {username: {prefix: ""}}
                        """, List.of(), List.of("spec.claimMappings.username.prefix: is empty: names from the IdP "
                        + "can then collide with Kubernetes' own, such as system:masters")),
                Arguments.of("claim names are plain identifiers", """
                        url: https://idp.example.com
                        audiences: [k]
                        claimMappings: {groups: {claim: "roles[0]"}}
                        """, List.of("spec.claimMappings.groups.claim: must be a claim name (letters, digits, _ : . - "
                        + "/)"), List.of()),
                Arguments.of("the CA must be PEM certificates", """
                        url: https://idp.example.com
                        audiences: [k]
                        certificateAuthority: not a certificate
                        """, List.of("spec.certificateAuthority: must hold PEM certificates (-----BEGIN "
                        + "CERTIFICATE-----)"), List.of()),
                Arguments.of("a truncated PEM certificate is an error", """
                        url: https://idp.example.com
                        audiences: [k]
                        certificateAuthority: |
                        %s
                        """.formatted(CA.indent(2).stripTrailing()),
                        List.of("spec.certificateAuthority: does not parse as PEM X.509 certificates"), List.of()),
                Arguments.of("key refresh bounds: TTL, rate limit and outage tolerance", """
                        url: https://idp.example.com
                        audiences: [k]
                        jwksRefresh: {cacheTTL: 30s, minInterval: 10m, outageTolerance: 25h}
                        """, List.of(
                        "spec.jwksRefresh.cacheTTL: must be between 1m and 24h; got 30s",
                        "spec.jwksRefresh.minInterval: must be between 1s and 5m; got 10m",
                        "spec.jwksRefresh.outageTolerance: must be between 0s and 24h; got 25h"), List.of()),
                Arguments.of("the refresh rate limit must be shorter than the cache TTL", """
                        url: https://idp.example.com
                        audiences: [k]
                        jwksRefresh: {cacheTTL: 1m, minInterval: 1m}
                        """, List.of("spec.jwksRefresh.minInterval: must be shorter than cacheTTL (1m)"), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validates(String name, String yaml, List<String> errors, List<String> warnings) {
        ValidationResult result = OidcIssuerValidator.validate(spec(yaml));

        assertThat(result.errors()).extracting(FieldError::toString).containsExactlyElementsOf(errors);
        assertThat(result.warnings()).extracting(FieldError::toString).containsExactlyElementsOf(warnings);
    }

    @Test
    @DisplayName("a missing spec is one error")
    void missingSpec() {
        assertThat(OidcIssuerValidator.validate(null).errorSummary()).isEqualTo("spec: is required");
    }
}
