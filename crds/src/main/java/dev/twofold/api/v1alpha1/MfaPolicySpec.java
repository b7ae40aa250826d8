package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * What an {@link MfaPolicy} covers ({@link #match()}), what it demands ({@link #require()}), and how strictly
 * ({@link #enforcement()}).
 *
 * @param enforcement never {@code null}; {@link Enforcement#ENFORCE} when absent
 * @param match {@code null} only in an invalid object
 * @param require {@code null} only in an invalid object
 * @param stepUpHint {@code null} when absent (a default hint is used)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"enforcement", "match", "require", "stepUpHint"})
// Rules sit on the type, not on record components: a component's annotation lands on both the field and the
// accessor, and crd-generator 7.5.2 then emits the rule twice.
@ValidationRule(value = "!has(self.stepUpHint) "
    + "|| !self.stepUpHint.matches('[\\\\x00-\\\\x1f\\\\x7f-\\\\x9f\\\\x{2028}\\\\x{2029}]')",
    fieldPath = ".stepUpHint", reason = "FieldValueInvalid",
    message = "stepUpHint must be a single line without control characters")
public record MfaPolicySpec(
    @JsonPropertyDescription("Enforce (default) denies matching requests that lack the required evidence; Audit allows "
        + "them with a warning and an audit annotation; Disabled turns the policy off.")
    @Default("Enforce")
    Enforcement enforcement,

    @JsonPropertyDescription("Which requests the policy covers: resource rules, namespaces and subjects.")
    @Required
    Match match,

    @JsonPropertyDescription("The authentication evidence a matching request must carry. At least one of amr, acr, "
        + "maxAuthAge or issuers.")
    @Required
    Require require,

    @JsonPropertyDescription("One line shown to the user in denials, telling them how to step up, e.g. the command "
        + "that fetches a fresh token with a second factor. A generic hint is used when absent.")
    @Size(max = 1024)
    String stepUpHint) {

  public MfaPolicySpec {
    if (enforcement == null) {
      enforcement = Enforcement.ENFORCE;
    }
  }
}
