package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * One OIDC identity provider whose ID tokens Twofold's TokenReview authenticator accepts, mapped to Kubernetes users
 * the way the API server's structured authentication would map them.
 *
 * @param url the issuer, exactly as in the tokens' {@code iss}; {@code null} only in an invalid object
 * @param audiences never {@code null}
 * @param algorithms never {@code null}; {@link #DEFAULT_ALGORITHMS} when absent
 * @param claimMappings never {@code null}; {@link ClaimMappings#DEFAULTS} when absent
 * @param certificateAuthority {@code null} when absent (the system trust store is used)
 * @param clockSkew never {@code null}; {@value #DEFAULT_CLOCK_SKEW} when absent
 * @param jwksRefresh never {@code null}; {@link JwksRefresh#DEFAULTS} when absent
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"url", "audiences", "algorithms", "claimMappings", "certificateAuthority", "clockSkew",
    "jwksRefresh"})
// Rules sit on the type, not on record components: crd-generator 7.5.2 emits a component's rule twice.
@ValidationRule(value = "isURL(self.url) && url(self.url).getScheme() == 'https' && url(self.url).getHost() != '' "
        + "&& size(url(self.url).getQuery()) == 0 && !self.url.contains('#')",
        fieldPath = ".url", reason = "FieldValueInvalid",
        message = "url must be an https URL without query or fragment")
@ValidationRule(value = "!has(self.clockSkew) || duration(self.clockSkew) <= duration('60s')",
        fieldPath = ".clockSkew", reason = "FieldValueInvalid", message = "clockSkew must be at most 60s")
@ValidationRule(value = "!has(self.algorithms) || self.algorithms.all(a, self.algorithms.exists_one(b, b == a))",
        fieldPath = ".algorithms", reason = "FieldValueDuplicate", message = "algorithms must not repeat")
@ValidationRule(value = "!has(self.certificateAuthority) "
        + "|| self.certificateAuthority.contains('-----BEGIN CERTIFICATE-----')",
        fieldPath = ".certificateAuthority", reason = "FieldValueInvalid",
        message = "certificateAuthority must hold PEM certificates")
public record OidcIssuerSpec(
        @JsonPropertyDescription("The issuer URL: https, no query or fragment, exactly as in the tokens' iss claim "
                + "(a trailing slash matters). Discovery is read from <url>/.well-known/openid-configuration, whose "
                + "issuer must equal this URL.")
        @Required
        @Size(min = 9, max = 2048)
        @Pattern("^https://[^\\s?#]+$")
        String url,

        @JsonPropertyDescription("Accepted token audiences (the OAuth client IDs, e.g. kubernetes): a token is "
                + "accepted when its aud claim contains at least one of them.")
        @Required
        @Size(min = 1, max = 32)
        List<@Size(min = 1, max = 256) String> audiences,

        @JsonPropertyDescription("Signature algorithms accepted from this issuer; tokens signed with any other are "
                + "rejected before a key is looked up. Asymmetric algorithms only. Default [RS256, ES256].")
        @Size(min = 1, max = 10)
        @Default("[\"RS256\", \"ES256\"]")
        List<SigningAlgorithm> algorithms,

        @JsonPropertyDescription("How token claims become the Kubernetes user name and groups. The uid is always the "
                + "sub claim; amr, acr, auth_time and iss go to the user's extra twofold.dev/* keys.")
        ClaimMappings claimMappings,

        @JsonPropertyDescription("PEM-encoded CA certificates trusted for the issuer's discovery and key (JWKS) "
                + "endpoints, instead of the system trust store. Nothing else is trusted when this is set.")
        @Size(max = 65536)
        String certificateAuthority,

        @JsonPropertyDescription("Tolerated clock difference with the issuer when checking exp, nbf and iat, as a "
                + "duration such as 30s (units h, m, s; at most 60s). Default 30s.")
        @Pattern(JwksRefresh.DURATION_PATTERN)
        @Default(DEFAULT_CLOCK_SKEW)
        String clockSkew,

        @JsonPropertyDescription("How the issuer's signing keys are cached, refreshed and kept through outages.")
        JwksRefresh jwksRefresh) {

    public static final List<SigningAlgorithm> DEFAULT_ALGORITHMS = List.of(SigningAlgorithm.RS256,
            SigningAlgorithm.ES256);
    public static final String DEFAULT_CLOCK_SKEW = "30s";

    public OidcIssuerSpec {
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
        algorithms = algorithms == null || algorithms.isEmpty() ? DEFAULT_ALGORITHMS : List.copyOf(algorithms);
        claimMappings = claimMappings == null ? ClaimMappings.DEFAULTS : claimMappings;
        clockSkew = clockSkew == null ? DEFAULT_CLOCK_SKEW : clockSkew;
        jwksRefresh = jwksRefresh == null ? JwksRefresh.DEFAULTS : jwksRefresh;
    }
}
