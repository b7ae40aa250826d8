package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Where requested CA rotations ({@value TrustDomain#ROTATE_CA_ANNOTATION}) stand.
 *
 * @param lastRequest the annotation value whose rotation completed last; {@code null} before the first
 * @param pendingRequest the annotation value whose rotation is underway; {@code null} when none is
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"lastRequest", "pendingRequest"})
public record CaRotationStatus(
        @JsonPropertyDescription("The value of the annotation twofold.dev/rotate-ca whose rotation completed last: "
                + "a CA prepared for it (or already prepared) signs, and the CA it replaced stays in the trust "
                + "bundle until the last certificate it signed has expired.")
        String lastRequest,

        @JsonPropertyDescription("The value of the annotation twofold.dev/rotate-ca whose rotation is underway: "
                + "the next CA is in the trust bundle and signs once it has been published for the operator's "
                + "bundle propagation time.")
        String pendingRequest) {
}
