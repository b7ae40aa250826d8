package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * Observed state of an {@link MfaPolicy}, written by the operator as a whole (a fresh object per change).
 *
 * @param observedGeneration {@code null} before the first reconcile
 * @param conditions never {@code null}
 * @param admissionRules {@code null} before the first reconcile
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"observedGeneration", "conditions", "admissionRules"})
public record MfaPolicyStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.")
    @Min(0)
    Long observedGeneration,

    @JsonPropertyDescription("Standard conditions; Ready is True when the policy compiled and is in force.")
    List<Condition> conditions,

    @JsonPropertyDescription("How many rules this policy contributes to the admission webhook configuration (reads "
        + "are enforced by the authorization webhook and do not count).")
    @Min(0)
    Integer admissionRules) {

  /** The condition type reporting whether the policy is in force. */
  public static final String READY = "Ready";

  public MfaPolicyStatus {
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
  }
}
