package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How the webhook keeps the issuer's signing keys (JWKS) fresh. All three are Go-style durations
 * ({@link dev.twofold.api.validation.GoDuration}); absent fields take the defaults below.
 *
 * @param cacheTTL {@code null} when absent ({@value #DEFAULT_CACHE_TTL})
 * @param minInterval {@code null} when absent ({@value #DEFAULT_MIN_INTERVAL})
 * @param outageTolerance {@code null} when absent ({@value #DEFAULT_OUTAGE_TOLERANCE})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"cacheTTL", "minInterval", "outageTolerance"})
// On the type, not the components: crd-generator 7.5.2 emits a component's rule twice (see MfaPolicySpec).
@ValidationRule(value = "!has(self.cacheTTL) || (duration(self.cacheTTL) >= duration('1m') "
        + "&& duration(self.cacheTTL) <= duration('24h'))",
        fieldPath = ".cacheTTL", reason = "FieldValueInvalid", message = "cacheTTL must be between 1m and 24h")
@ValidationRule(value = "!has(self.minInterval) || (duration(self.minInterval) >= duration('1s') "
        + "&& duration(self.minInterval) <= duration('5m'))",
        fieldPath = ".minInterval", reason = "FieldValueInvalid", message = "minInterval must be between 1s and 5m")
@ValidationRule(value = "!has(self.outageTolerance) || duration(self.outageTolerance) <= duration('24h')",
        fieldPath = ".outageTolerance", reason = "FieldValueInvalid", message = "outageTolerance must be at most 24h")
@ValidationRule(value = "duration(has(self.minInterval) ? self.minInterval : '30s') "
        + "< duration(has(self.cacheTTL) ? self.cacheTTL : '5m')",
        fieldPath = ".minInterval", reason = "FieldValueInvalid", message = "minInterval must be shorter than cacheTTL")
public record JwksRefresh(
        @JsonPropertyDescription("How long fetched keys are used before they are fetched again (refreshed in the "
                + "background shortly before), e.g. 5m; between 1m and 24h. Default 5m.")
        @Pattern(DURATION_PATTERN)
        String cacheTTL,

        @JsonPropertyDescription("The shortest time between two key fetches, however many tokens with unknown "
                + "key IDs arrive, e.g. 30s; between 1s and 5m and shorter than cacheTTL. Default 30s.")
        @Pattern(DURATION_PATTERN)
        String minInterval,

        @JsonPropertyDescription("How long the last fetched keys keep verifying tokens while the issuer cannot be "
                + "reached, e.g. 1h; at most 24h, 0s to fail at once. Default 1h.")
        @Pattern(DURATION_PATTERN)
        String outageTolerance) {

    /** The schema's duration syntax, as for {@link Require#MAX_AUTH_AGE_PATTERN}. */
    public static final String DURATION_PATTERN = "^([0-9]{1,5}[hms]){1,3}$";
    public static final String DEFAULT_CACHE_TTL = "5m";
    public static final String DEFAULT_MIN_INTERVAL = "30s";
    public static final String DEFAULT_OUTAGE_TOLERANCE = "1h";

    /** Every field at its default. */
    public static final JwksRefresh DEFAULTS = new JwksRefresh(null, null, null);
}
