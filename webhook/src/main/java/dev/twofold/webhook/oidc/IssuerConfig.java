package dev.twofold.webhook.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import dev.twofold.api.v1alpha1.ClaimMappings;
import dev.twofold.api.v1alpha1.JwksRefresh;
import dev.twofold.api.v1alpha1.OidcIssuer;
import dev.twofold.api.v1alpha1.OidcIssuerSpec;
import dev.twofold.api.v1alpha1.SigningAlgorithm;
import dev.twofold.api.validation.GoDuration;
import dev.twofold.api.validation.OidcIssuerValidator;
import dev.twofold.api.validation.ValidationResult;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * One OidcIssuer's settings, validated and resolved (defaults applied, durations parsed, algorithms as nimbus
 * constants).
 *
 * @param name the OidcIssuer's name, the metrics' {@code issuer} tag
 * @param url the exact issuer ({@code iss})
 * @param audiences accepted audiences, at least one
 * @param algorithms pinned algorithms, at least one, never HMAC or none
 * @param claimMappings user name and groups mapping
 * @param certificateAuthority PEM CA bundle for the issuer's endpoints, {@code null} for the system trust store
 * @param clockSkew tolerance for exp, nbf and iat
 * @param cacheTtl how long fetched keys are used
 * @param minRefreshInterval least time between two key fetches
 * @param outageTolerance how long cached keys outlive an unreachable issuer; zero disables it
 */
public record IssuerConfig(String name, String url, Set<String> audiences, Set<JWSAlgorithm> algorithms,
        ClaimMappings claimMappings, String certificateAuthority, Duration clockSkew, Duration cacheTtl,
        Duration minRefreshInterval, Duration outageTolerance) {

    public IssuerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        audiences = Set.copyOf(audiences);
        algorithms = Set.copyOf(algorithms);
        if (audiences.isEmpty() || algorithms.isEmpty()) {
            throw new IllegalArgumentException("an issuer needs at least one audience and one algorithm");
        }
        for (JWSAlgorithm algorithm : algorithms) {
            if (JWSAlgorithm.Family.HMAC_SHA.contains(algorithm) || algorithm.getName().equalsIgnoreCase("none")) {
                throw new IllegalArgumentException(algorithm + " can never be allowed");
            }
        }
    }

    /** The settings of {@code issuer}, or {@link InvalidIssuer} listing what is wrong with its spec. */
    public static IssuerConfig from(OidcIssuer issuer) throws InvalidIssuer {
        String name = issuer.getMetadata() == null ? null : issuer.getMetadata().getName();
        if (name == null || name.isEmpty()) {
            throw new InvalidIssuer("(unnamed)", "metadata.name: is required");
        }
        OidcIssuerSpec spec = issuer.getSpec();
        ValidationResult validation = OidcIssuerValidator.validate(spec);
        if (!validation.valid()) {
            throw new InvalidIssuer(name, validation.errorSummary());
        }
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (SigningAlgorithm algorithm : spec.algorithms()) {
            algorithms.add(JWSAlgorithm.parse(algorithm.name()));
        }
        JwksRefresh refresh = spec.jwksRefresh();
        return new IssuerConfig(name, spec.url(), Set.copyOf(spec.audiences()), algorithms, spec.claimMappings(),
                spec.certificateAuthority(), duration(spec.clockSkew()),
                duration(orDefault(refresh.cacheTTL(), JwksRefresh.DEFAULT_CACHE_TTL)),
                duration(orDefault(refresh.minInterval(), JwksRefresh.DEFAULT_MIN_INTERVAL)),
                duration(orDefault(refresh.outageTolerance(), JwksRefresh.DEFAULT_OUTAGE_TOLERANCE)));
    }

    private static Duration duration(String text) {
        return GoDuration.parse(text).orElseThrow(); // validated above
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
