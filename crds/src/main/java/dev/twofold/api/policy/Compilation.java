package dev.twofold.api.policy;

import dev.twofold.api.validation.ValidationResult;

/** The outcome of {@link CompiledPolicy#compile}: a usable policy, or the validation errors that prevent it. */
public sealed interface Compilation {

  /** The validation outcome (errors are empty for {@link Compiled}; warnings may be present in both). */
  ValidationResult validation();

  /** The policy compiled; {@link #validation()} may carry warnings. */
  record Compiled(CompiledPolicy policy, ValidationResult validation) implements Compilation {
  }

  /** The policy is invalid and was not compiled. */
  record Rejected(String policyName, ValidationResult validation) implements Compilation {
  }
}
