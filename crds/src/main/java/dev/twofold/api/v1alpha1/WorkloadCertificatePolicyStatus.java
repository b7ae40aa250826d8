package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;

/**
 * Observed state of a {@link WorkloadCertificatePolicy}, written by the operator as a whole.
 *
 * @param observedGeneration {@code null} before the first reconcile
 * @param conditions never {@code null}
 * @param certificatesIssued {@code null} before the first issuance
 * @param lastIssuance RFC 3339 time; {@code null} before the first issuance
 * @param denials never {@code null}; denial counts by attestation failure reason (e.g. pod_not_found)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"observedGeneration", "conditions", "certificatesIssued", "lastIssuance", "denials"})
public record WorkloadCertificatePolicyStatus(
        @JsonPropertyDescription("The metadata.generation this status describes.")
        @Min(0)
        Long observedGeneration,

        @JsonPropertyDescription("Standard conditions; Ready is True when the policy is valid and its TrustDomain "
                + "can issue.")
        List<Condition> conditions,

        @JsonPropertyDescription("How many certificates were issued under this policy.")
        @Min(0)
        Long certificatesIssued,

        @JsonPropertyDescription("When the last certificate was issued under this policy (RFC 3339).")
        String lastIssuance,

        @JsonPropertyDescription("How many requests matched by this policy were denied, by reason (e.g. "
                + "pod_phase_not_allowed, image_not_pinned, key_type_not_allowed).")
        Map<String, Long> denials) {

    /** The condition type reporting whether the policy is in force. */
    public static final String READY = "Ready";

    public WorkloadCertificatePolicyStatus {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        denials = denials == null ? Map.of() : Map.copyOf(denials);
    }
}
