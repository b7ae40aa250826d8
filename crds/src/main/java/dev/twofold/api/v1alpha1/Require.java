package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * The evidence a matching request must carry; every requirement present must be satisfied.
 *
 * @param amr {@code null} when absent
 * @param acr never {@code null}; empty when absent (any acr, or none)
 * @param maxAuthAge {@code null} when absent (no freshness requirement)
 * @param issuers never {@code null}; empty when absent (any issuer, or none)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"amr", "acr", "maxAuthAge", "issuers"})
@ValidationRule(value = "has(self.amr) || has(self.acr) || has(self.maxAuthAge) || has(self.issuers)",
    reason = "FieldValueRequired", message = "require needs at least one of amr, acr, maxAuthAge or issuers")
// Not on the components: see MfaPolicySpec (rules on a component are emitted twice). Also, crd-generator 7.5.2 maps an
// accessor to its field by stripping a get/set/is prefix, so "issuers" loses its component annotations altogether.
@ValidationRule(value = "!has(self.maxAuthAge) || (duration(self.maxAuthAge) > duration('0s') "
    + "&& duration(self.maxAuthAge) <= duration('24h'))",
    fieldPath = ".maxAuthAge", reason = "FieldValueInvalid",
    message = "maxAuthAge must be more than 0s and at most 24h")
@ValidationRule(value = "!has(self.issuers) || self.issuers.all(i, size(i) > 0)",
    fieldPath = ".issuers", reason = "FieldValueInvalid", message = "issuers must not contain empty strings")
public record Require(
    @JsonPropertyDescription("Authentication methods (RFC 8176 amr values such as pwd, otp, hwk, mfa) the token "
        + "must show.")
    AmrRequirement amr,

    @JsonPropertyDescription("Accepted authentication context class references (the token's acr must be one of "
        + "these).")
    @Size(min = 1, max = 32)
    List<@Size(min = 1) String> acr,

    @JsonPropertyDescription("How recent the authentication must be (the token's auth_time), as a duration such as "
        + "15m, 1h or 1h30m (units h, m, s; at most 24h). A token without auth_time fails this requirement.")
    @Pattern(MAX_AUTH_AGE_PATTERN)
    String maxAuthAge,

    @JsonPropertyDescription("Accepted token issuers (the OIDC iss, e.g. https://idp.example.com/realms/prod).")
    @Size(min = 1, max = 32)
    List<String> issuers) {

  /** The schema's syntax for {@link #maxAuthAge()}; {@link dev.twofold.api.validation.GoDuration} parses it. */
  public static final String MAX_AUTH_AGE_PATTERN = "^([0-9]{1,5}[hms]){1,3}$";

  public Require {
    acr = acr == null ? List.of() : List.copyOf(acr);
    issuers = issuers == null ? List.of() : List.copyOf(issuers);
  }
}
