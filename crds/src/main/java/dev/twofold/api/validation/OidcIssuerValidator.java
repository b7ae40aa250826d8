package dev.twofold.api.validation;

import dev.twofold.api.v1alpha1.ClaimMapping;
import dev.twofold.api.v1alpha1.JwksRefresh;
import dev.twofold.api.v1alpha1.OidcIssuerSpec;
import dev.twofold.api.v1alpha1.SigningAlgorithm;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates an {@link OidcIssuerSpec}: everything the CRD schema checks plus what it cannot (the CA bundle parses as
 * X.509 certificates, the URL is one {@link java.net.URI} accepts). Pure: parsing certificates is computation, no I/O.
 *
 * <p>Warnings flag legal but risky choices: an empty username or groups prefix (IdP names could then collide with
 * {@code system:} users and groups) and repeated audiences.
 */
public final class OidcIssuerValidator {

    /** The largest accepted {@code clockSkew}. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);
    public static final Duration MIN_CACHE_TTL = Duration.ofMinutes(1);
    public static final Duration MAX_CACHE_TTL = Duration.ofHours(24);
    public static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_REFRESH_INTERVAL = Duration.ofMinutes(5);
    public static final Duration MAX_OUTAGE_TOLERANCE = Duration.ofHours(24);
    public static final int MAX_URL_LENGTH = 2048;

    private OidcIssuerValidator() {
    }

    /** All errors and warnings of {@code spec}, with paths rooted at {@code spec}. */
    public static ValidationResult validate(OidcIssuerSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        List<FieldError> warnings = new ArrayList<>();
        if (spec == null) {
            return new ValidationResult(List.of(new FieldError("spec", "is required")), List.of());
        }
        String urlProblem = urlProblem(spec.url());
        if (urlProblem != null) {
            errors.add(new FieldError("spec.url", urlProblem));
        }

        if (spec.audiences().isEmpty()) {
            errors.add(new FieldError("spec.audiences", "must name at least one audience"));
        }
        Set<String> audiences = new HashSet<>();
        for (int i = 0; i < spec.audiences().size(); i++) {
            String audience = spec.audiences().get(i);
            if (audience == null || audience.isEmpty()) {
                errors.add(new FieldError("spec.audiences[" + i + "]", "must not be empty"));
            } else if (!audiences.add(audience)) {
                warnings.add(new FieldError("spec.audiences[" + i + "]", "\"" + audience + "\" is listed twice"));
            }
        }

        Set<SigningAlgorithm> algorithms = EnumSet.noneOf(SigningAlgorithm.class);
        for (int i = 0; i < spec.algorithms().size(); i++) {
            SigningAlgorithm algorithm = spec.algorithms().get(i);
            if (algorithm == null) {
                errors.add(new FieldError("spec.algorithms[" + i + "]", "must be one of " + List.of(
                        SigningAlgorithm.values())));
            } else if (!algorithms.add(algorithm)) {
                errors.add(new FieldError("spec.algorithms[" + i + "]", algorithm + " is listed twice"));
            }
        }

        validateMapping(spec.claimMappings().username(), "spec.claimMappings.username", errors, warnings);
        validateMapping(spec.claimMappings().groups(), "spec.claimMappings.groups", errors, warnings);

        if (spec.certificateAuthority() != null) {
            String caProblem = caProblem(spec.certificateAuthority());
            if (caProblem != null) {
                errors.add(new FieldError("spec.certificateAuthority", caProblem));
            }
        }

        duration(spec.clockSkew(), "spec.clockSkew", Duration.ZERO, MAX_CLOCK_SKEW, errors);

        JwksRefresh refresh = spec.jwksRefresh();
        Duration ttl = duration(orDefault(refresh.cacheTTL(), JwksRefresh.DEFAULT_CACHE_TTL),
                "spec.jwksRefresh.cacheTTL", MIN_CACHE_TTL, MAX_CACHE_TTL, errors);
        Duration interval = duration(orDefault(refresh.minInterval(), JwksRefresh.DEFAULT_MIN_INTERVAL),
                "spec.jwksRefresh.minInterval", MIN_REFRESH_INTERVAL, MAX_REFRESH_INTERVAL, errors);
        duration(orDefault(refresh.outageTolerance(), JwksRefresh.DEFAULT_OUTAGE_TOLERANCE),
                "spec.jwksRefresh.outageTolerance", Duration.ZERO, MAX_OUTAGE_TOLERANCE, errors);
        if (ttl != null && interval != null && interval.compareTo(ttl) >= 0) {
            errors.add(new FieldError("spec.jwksRefresh.minInterval", "must be shorter than cacheTTL ("
                    + GoDuration.format(ttl) + ")"));
        }
        return errors.isEmpty() && warnings.isEmpty() ? ValidationResult.OK : new ValidationResult(errors, warnings);
    }

    /** Why {@code url} is not an acceptable issuer URL, or {@code null} when it is. */
    static String urlProblem(String url) {
        if (url == null || url.isEmpty()) {
            return "is required";
        }
        if (url.length() > MAX_URL_LENGTH) {
            return "must be at most " + MAX_URL_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a valid URL";
        }
        if (!"https".equals(uri.getScheme())) {
            return "must use https";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "must name a host";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not contain user information";
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return "must not have a query or fragment";
        }
        return null;
    }

    private static void validateMapping(ClaimMapping mapping, String path, List<FieldError> errors,
            List<FieldError> warnings) {
        String claim = mapping.claim();
        if (claim.isEmpty() || !claim.chars().allMatch(OidcIssuerValidator::isClaimNameChar)) {
            errors.add(new FieldError(path + ".claim", "must be a claim name (letters, digits, _ : . - /)"));
        }
        String prefix = mapping.prefix();
        if (prefix.length() > 64) {
            errors.add(new FieldError(path + ".prefix", "must be at most 64 characters"));
        }
        if (MfaPolicyValidator.hasControlCharacter(prefix)) {
            errors.add(new FieldError(path + ".prefix", "must not contain control characters"));
        }
        if (prefix.isEmpty()) {
            warnings.add(new FieldError(path + ".prefix", "is empty: names from the IdP can then collide with "
                    + "Kubernetes' own, such as system:masters"));
        }
    }

    private static boolean isClaimNameChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':'
                || c == '.' || c == '-' || c == '/';
    }

    private static String caProblem(String pem) {
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            return "must hold PEM certificates (-----BEGIN CERTIFICATE-----)";
        }
        try {
            var certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            return certificates.isEmpty() ? "holds no certificate" : null;
        } catch (CertificateException e) {
            return "does not parse as PEM X.509 certificates";
        }
    }

    private static Duration duration(String text, String path, Duration min, Duration max, List<FieldError> errors) {
        var parsed = GoDuration.parse(text);
        if (parsed.isEmpty()) {
            errors.add(new FieldError(path, "must be a duration such as 30s, 5m or 1h (units h, m, s); got "
                    + MfaPolicyValidator.quote(text)));
            return null;
        }
        Duration value = parsed.get();
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            errors.add(new FieldError(path, "must be between " + GoDuration.format(min) + " and "
                    + GoDuration.format(max) + "; got " + text));
            return null;
        }
        return value;
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
