package dev.twofold.webhook.authz;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An {@code authorization.k8s.io/v1} SubjectAccessReview carrying Twofold's answer. Twofold never allows: it denies
 * or has no opinion ({@code allowed: false, denied: false}), leaving the decision to the next authorizer (RBAC).
 */
@JsonPropertyOrder({"apiVersion", "kind", "status"})
public record SubjectAccessReviewResponse(String apiVersion, String kind, Status status) {

    /** {@code status}. */
    @JsonPropertyOrder({"allowed", "denied", "reason"})
    public record Status(boolean allowed, boolean denied, String reason) {
    }
}
