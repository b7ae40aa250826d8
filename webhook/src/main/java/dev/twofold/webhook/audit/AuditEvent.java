package dev.twofold.webhook.audit;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.twofold.api.policy.RequestAttributes;
import java.time.Instant;
import java.util.List;

/**
 * One audited decision. Carries who did what and why it was (or would have been) denied; never credentials: the
 * webhook never sees tokens, and the user's extras (the evidence) are summarized by {@code missing}, not copied.
 *
 * @param time when it was decided
 * @param endpoint {@code admission} or {@code authorize}
 * @param decision {@code deny} or {@code audit_warn}
 * @param reason {@code mfa_policy}, {@code impersonation_guard}, {@code evaluation_failed} or {@code not_ready}
 * @param policy the deciding MfaPolicy, null when none decided
 * @param user the user name
 * @param groups the user's groups
 * @param verb the verb (admission: the operation in lower case)
 * @param apiGroup the API group, empty for core
 * @param resource {@code resource[/subresource]}
 * @param namespace empty at cluster scope
 * @param name the object name, may be empty
 * @param missing the unmet requirements, snake_case (e.g. {@code amr_not_satisfied})
 * @param message the text the user was shown
 * @param uid the AdmissionReview uid; null for authorization
 * @param dryRun whether the admission request was a dry run; null for authorization
 */
@JsonPropertyOrder({"time", "endpoint", "decision", "reason", "policy", "user", "groups", "verb", "apiGroup",
    "resource", "namespace", "name", "missing", "message", "uid", "dryRun"})
public record AuditEvent(Instant time, String endpoint, String decision, String reason, String policy, String user,
        List<String> groups, String verb, String apiGroup, String resource, String namespace, String name,
        List<String> missing, String message, String uid, Boolean dryRun) {

    public AuditEvent {
        groups = List.copyOf(groups);
        missing = List.copyOf(missing);
    }

    /** An event about {@code request}, with the request's fields filled in. */
    public static AuditEvent of(Instant time, String endpoint, String decision, String reason, String policy,
            RequestAttributes request, List<String> missing, String message, String uid, Boolean dryRun) {
        String resource = request.subresource().isEmpty() ? request.resource()
                : request.resource() + "/" + request.subresource();
        return new AuditEvent(time, endpoint, decision, reason, policy, request.user(), request.groups(),
                request.verb(), request.apiGroup(), resource, request.namespace(), request.name(), missing, message,
                uid, dryRun);
    }
}
