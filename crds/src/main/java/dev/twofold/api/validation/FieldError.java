package dev.twofold.api.validation;

import java.util.Objects;

/**
 * One problem with one field.
 *
 * @param path the field's path from the object root, e.g. {@code spec.require.maxAuthAge} or
 *     {@code spec.match.rules[0].verbs[1]}
 * @param message what is wrong, for a human (no trailing period)
 */
public record FieldError(String path, String message) {

  public FieldError {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** {@code path: message}, the form used in denials and status conditions. */
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
