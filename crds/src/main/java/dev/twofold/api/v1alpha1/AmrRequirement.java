package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Acceptable combinations of authentication methods.
 *
 * @param anyOf never {@code null}; neither are its sets
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
// crd-generator 7.5.2 reads type-use annotations one level deep only, so the inner sets get their bounds from CEL.
@ValidationRule(value = "!has(self.anyOf) || self.anyOf.all(set, size(set) > 0 && size(set) <= 8)",
    fieldPath = ".anyOf", reason = "FieldValueInvalid",
    message = "every amr.anyOf set must name between 1 and 8 methods")
public record AmrRequirement(
    @JsonPropertyDescription("Acceptable sets of amr values: the requirement is met when every value of at least one "
        + "set is in the token's amr, e.g. [[hwk], [otp, pwd]].")
    @Required
    @Size(min = 1, max = 16)
    List<List<String>> anyOf) {

  public AmrRequirement {
    anyOf = anyOf == null ? List.of()
        : anyOf.stream().map(set -> set == null ? List.<String>of() : List.copyOf(set)).toList();
  }
}
