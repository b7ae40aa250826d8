package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * Observed state of a {@link TrustDomain}, written by the operator as a whole (a fresh object per change).
 *
 * @param observedGeneration {@code null} before the first reconcile
 * @param conditions never {@code null}
 * @param currentCA {@code null} before a CA exists
 * @param nextCA {@code null} unless a next CA has been prepared
 * @param rotation {@code null} unless a rotation was ever requested
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"observedGeneration", "conditions", "currentCA", "nextCA", "rotation"})
public record TrustDomainStatus(
        @JsonPropertyDescription("The metadata.generation this status describes.")
        @Min(0)
        Long observedGeneration,

        @JsonPropertyDescription("Standard conditions; Ready is True when the CA can issue; Rotating is True while a "
                + "requested rotation is underway (False once it completed).")
        List<Condition> conditions,

        @JsonPropertyDescription("The CA that signs workload certificates now.")
        CaSummary currentCA,

        @JsonPropertyDescription("The CA prepared to take over, already in the trust bundle but not yet signing.")
        CaSummary nextCA,

        @JsonPropertyDescription("Requested rotations (annotation twofold.dev/rotate-ca): the last completed and "
                + "the one underway.")
        CaRotationStatus rotation) {

    /** The condition type reporting whether the trust domain can issue. */
    public static final String READY = "Ready";
    /** The condition type reporting a requested rotation: True while underway, False once completed. */
    public static final String ROTATING = "Rotating";

    public TrustDomainStatus {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }
}
