package dev.twofold.webhook.admission;

import dev.twofold.api.policy.Decision;
import dev.twofold.api.policy.Decision.Allow;
import dev.twofold.api.policy.Decision.AuditWarn;
import dev.twofold.api.policy.Decision.Deny;
import dev.twofold.api.policy.Evidence;
import dev.twofold.api.policy.RequestAttributes;
import dev.twofold.webhook.admission.AdmissionResponse.Response;
import dev.twofold.webhook.admission.AdmissionResponse.Status;
import dev.twofold.webhook.audit.AuditEvent;
import dev.twofold.webhook.audit.AuditLog;
import dev.twofold.webhook.policy.PoliciesNotLoaded;
import dev.twofold.webhook.policy.PolicyEngine;
import dev.twofold.webhook.server.Endpoint;
import dev.twofold.webhook.server.JsonCodec;
import dev.twofold.webhook.server.OneLine;
import dev.twofold.webhook.server.Outcome;
import dev.twofold.webhook.server.Reply;
import dev.twofold.webhook.server.RequestRejected;
import dev.twofold.webhook.server.Route;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admission/mfa}: the validating admission webhook. Maps an AdmissionReview to {@link RequestAttributes}
 * (the operation in lower case as the verb) and {@link Evidence} (only {@code userInfo.extra["twofold.dev/*"]}),
 * asks the {@link PolicyEngine}, and answers:
 * <ul>
 *   <li>Deny: {@code allowed: false}, status 403 Forbidden with the decision's message;
 *   <li>AuditWarn: {@code allowed: true}, the message as a warning, and audit annotations {@value #WOULD_DENY} (the
 *       policy) and {@value #MISSING} (the unmet requirements, comma-separated snake_case);
 *   <li>Allow: {@code allowed: true}.
 * </ul>
 * Dry runs are judged like any request. If the engine cannot decide, the request is refused (fail closed).
 */
public final class AdmissionEndpoint implements Endpoint {

    public static final String PATH = "/admission/mfa";
    /** The metric tag and audit endpoint name. */
    public static final String NAME = "admission";
    public static final String API_VERSION = "admission.k8s.io/v1";
    public static final String KIND = "AdmissionReview";

    // The API server prefixes audit annotation keys with "<webhook name>/" and drops keys that already contain a
    // slash, so these are bare: they appear as e.g. "mfa.twofold.dev/would-deny" in the audit log.
    /** Audit annotation: the Audit policy that would have denied the request. */
    public static final String WOULD_DENY = "would-deny";
    /** Audit annotation: what that policy found missing, e.g. {@code amr_not_satisfied,auth_too_old}. */
    public static final String MISSING = "missing";


    private static final Logger LOG = LoggerFactory.getLogger(AdmissionEndpoint.class);

    private final PolicyEngine engine;
    private final AuditLog audit;
    private final Clock clock;
    private final JsonCodec json;

    public AdmissionEndpoint(PolicyEngine engine, AuditLog audit, Clock clock, JsonCodec json) {
        this.engine = engine;
        this.audit = audit;
        this.clock = clock;
        this.json = json;
    }

    /** This endpoint at {@value #PATH}. */
    public Route route() {
        return new Route(PATH, NAME, this);
    }

    @Override
    public Reply handle(InputStream body) throws RequestRejected, IOException {
        AdmissionReview review = json.read(body, AdmissionReview.class, KIND);
        AdmissionReview.Request request = validate(review);
        RequestAttributes attributes = attributes(request);
        Evidence evidence = Evidence.fromUserExtra(request.userInfo().extra());
        Decision decision;
        try {
            decision = engine.decide(attributes, evidence);
        } catch (PoliciesNotLoaded e) {
            return failClosed(request, attributes, 503, "ServiceUnavailable", PolicyEngine.NOT_LOADED, "not_ready");
        } catch (RuntimeException e) {
            LOG.atError().addKeyValue("uid", request.uid()).setCause(e).log("evaluating MfaPolicies failed");
            return failClosed(request, attributes, 500, "InternalError", PolicyEngine.FAIL_CLOSED, "evaluation_failed");
        }
        return switch (decision) {
            case Allow allow -> reply(request, new Response(request.uid(), true, null, null, null),
                    new Outcome(Outcome.Kind.ALLOW, allow.satisfiedPolicies().isEmpty() ? null
                            : allow.satisfiedPolicies().getFirst(), allow.reason().name().toLowerCase(Locale.ROOT),
                            List.of()));
            case Deny deny -> {
                Outcome outcome = Outcome.decided(Outcome.Kind.DENY, deny.policyName(), deny.missing());
                audit(request, attributes, "deny", "mfa_policy", deny.policyName(), outcome.missing(), deny.message());
                yield reply(request, new Response(request.uid(), false,
                        Status.failure(403, "Forbidden", deny.message()), null, null), outcome);
            }
            case AuditWarn warn -> {
                Outcome outcome = Outcome.decided(Outcome.Kind.AUDIT_WARN, warn.policyName(), warn.missing());
                audit(request, attributes, "audit_warn", "mfa_policy", warn.policyName(), outcome.missing(),
                        warn.message());
                yield reply(request, new Response(request.uid(), true, null, List.of(warn.message()),
                        Map.of(WOULD_DENY, warn.policyName(), MISSING, String.join(",", outcome.missing()))),
                        outcome);
            }
        };
    }

    private Reply failClosed(AdmissionReview.Request request, RequestAttributes attributes, int code, String reason,
            String message, String outcomeReason) {
        audit(request, attributes, "deny", outcomeReason, null, List.of(), message);
        return reply(request, new Response(request.uid(), false, Status.failure(code, reason, message), null, null),
                Outcome.of(Outcome.Kind.ERROR, outcomeReason));
    }

    private Reply reply(AdmissionReview.Request request, Response response, Outcome outcome) {
        return new Reply(json.write(new AdmissionResponse(API_VERSION, KIND, response)), outcome);
    }

    private void audit(AdmissionReview.Request request, RequestAttributes attributes, String decision, String reason,
            String policy, List<String> missing, String message) {
        audit.record(AuditEvent.of(clock.instant(), NAME, decision, reason, policy, attributes, missing, message,
                request.uid(), Boolean.TRUE.equals(request.dryRun())));
    }

    private static AdmissionReview.Request validate(AdmissionReview review) throws RequestRejected {
        if (!API_VERSION.equals(review.apiVersion()) || !KIND.equals(review.kind())) {
            throw invalid("expected apiVersion \"" + API_VERSION + "\" and kind \"" + KIND + "\", got apiVersion "
                    + OneLine.quote(review.apiVersion()) + " and kind " + OneLine.quote(review.kind()));
        }
        AdmissionReview.Request request = review.request();
        if (request == null) {
            throw invalid("AdmissionReview has no request");
        }
        if (request.uid() == null || request.uid().isEmpty()) {
            throw invalid("AdmissionReview request has no uid");
        }
        if (request.operation() == null) {
            throw invalid("AdmissionReview request has no operation");
        }
        if (request.resource() == null || request.resource().resource() == null
                || request.resource().resource().isEmpty()) {
            throw invalid("AdmissionReview request has no resource");
        }
        if (request.userInfo() == null) {
            throw invalid("AdmissionReview request has no userInfo");
        }
        if (request.userInfo().groups() != null && request.userInfo().groups().contains(null)) {
            throw invalid("AdmissionReview request.userInfo.groups contains null");
        }
        return request;
    }

    private static RequestAttributes attributes(AdmissionReview.Request request) throws RequestRejected {
        String verb = switch (request.operation()) {
            case "CREATE" -> "create";
            case "UPDATE" -> "update";
            case "DELETE" -> "delete";
            case "CONNECT" -> "connect";
            default -> throw invalid("AdmissionReview request.operation " + OneLine.quote(request.operation())
                    + " is not one of CREATE, UPDATE, DELETE, CONNECT");
        };
        AdmissionReview.UserInfo user = request.userInfo();
        return new RequestAttributes(user.username(), user.groups(), verb, request.resource().group(),
                request.resource().resource(), request.subResource(), request.namespace(), Map.of(), request.name());
    }

    private static RequestRejected invalid(String message) {
        return RequestRejected.badRequest("invalid_review", message);
    }
}
