package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What happens when a matching request lacks the required evidence. */
public enum Enforcement {
  /** Deny the request, naming the policy, the missing evidence and how to step up. */
  @JsonProperty("Enforce")
  ENFORCE("Enforce"),
  /** Allow the request, with a warning to the client and an audit annotation ("would deny"). */
  @JsonProperty("Audit")
  AUDIT("Audit"),
  /** The policy matches nothing; it is kept but not in force. */
  @JsonProperty("Disabled")
  DISABLED("Disabled");

  private final String wireName;

  Enforcement(String wireName) {
    this.wireName = wireName;
  }

  /** The value as written in YAML ({@code Enforce}, {@code Audit}, {@code Disabled}). */
  public String wireName() {
    return wireName;
  }
}
