package dev.twofold.api.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of validating one object: errors make it unusable, warnings are worth telling the author.
 *
 * @param errors never {@code null}, in field order
 * @param warnings never {@code null}, in field order
 */
public record ValidationResult(List<FieldError> errors, List<FieldError> warnings) {

  public static final ValidationResult OK = new ValidationResult(List.of(), List.of());

  public ValidationResult {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  /** True when there are no errors (warnings allowed). */
  public boolean valid() {
    return errors.isEmpty();
  }

  /** The errors as one line, {@code "path: message; path: message"}; empty when valid. */
  public String errorSummary() {
    return errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
  }
}
