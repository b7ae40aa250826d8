package dev.twofold.webhook.admission;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * An {@code admission.k8s.io/v1} AdmissionReview carrying Twofold's response. Null fields are left out.
 *
 * @param apiVersion echoed: {@code admission.k8s.io/v1}
 * @param kind echoed: {@code AdmissionReview}
 * @param response the answer
 */
@JsonPropertyOrder({"apiVersion", "kind", "response"})
public record AdmissionResponse(String apiVersion, String kind, Response response) {

    /**
     * {@code response}.
     *
     * @param uid the request's uid
     * @param allowed whether the request may proceed
     * @param status why not (denials only)
     * @param warnings shown to the client (audit warnings)
     * @param auditAnnotations added to the request's audit event, prefixed by the API server with the webhook's name
     */
    @JsonPropertyOrder({"uid", "allowed", "status", "warnings", "auditAnnotations"})
    public record Response(String uid, boolean allowed, Status status, List<String> warnings,
            Map<String, String> auditAnnotations) {
    }

    /** A metav1.Status for denials: {@code code} 403 and reason {@code Forbidden} for policy denials. */
    @JsonPropertyOrder({"status", "code", "reason", "message"})
    public record Status(String status, int code, String reason, String message) {

        public static Status failure(int code, String reason, String message) {
            return new Status("Failure", code, reason, message);
        }
    }
}
