package dev.twofold.webhook.authz;

import dev.twofold.api.policy.Decision;
import dev.twofold.api.policy.Decision.Allow;
import dev.twofold.api.policy.Decision.AuditWarn;
import dev.twofold.api.policy.Decision.Deny;
import dev.twofold.api.policy.Evidence;
import dev.twofold.api.policy.RequestAttributes;
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
 * {@code POST /authorize}: the authorization webhook. Twofold never grants: a resource request that an Enforce
 * MfaPolicy denies, or that impersonates second-factor evidence without being an allow-listed proxy
 * ({@link ImpersonationGuard}), is denied; everything else gets no opinion, so the next authorizer (RBAC) decides.
 * An Audit policy's would-deny is no opinion too, with an audit line and metric. Non-resource requests get no
 * opinion. If the engine cannot decide, the request is denied (fail closed).
 */
public final class AuthorizationEndpoint implements Endpoint {

    public static final String PATH = "/authorize";
    /** The metric tag and audit endpoint name. */
    public static final String NAME = "authorize";
    public static final String API_VERSION = "authorization.k8s.io/v1";
    public static final String KIND = "SubjectAccessReview";


    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationEndpoint.class);

    private final PolicyEngine engine;
    private final ImpersonationGuard guard;
    private final AuditLog audit;
    private final Clock clock;
    private final JsonCodec json;

    public AuthorizationEndpoint(PolicyEngine engine, ImpersonationGuard guard, AuditLog audit, Clock clock,
            JsonCodec json) {
        this.engine = engine;
        this.guard = guard;
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
        SubjectAccessReview review = json.read(body, SubjectAccessReview.class, KIND);
        SubjectAccessReview.Spec spec = validate(review);
        if (spec.resourceAttributes() == null) {
            return noOpinion(Outcome.of(Outcome.Kind.NO_OPINION, "non_resource"));
        }
        RequestAttributes attributes = attributes(spec);

        String impersonation = guard.check(attributes);
        if (impersonation != null) {
            audit(attributes, "deny", "impersonation_guard", null, List.of(), impersonation);
            return denied(impersonation, Outcome.of(Outcome.Kind.DENY, "impersonation_guard"));
        }

        Decision decision;
        try {
            decision = engine.decide(attributes, Evidence.fromUserExtra(spec.extra()));
        } catch (PoliciesNotLoaded e) {
            audit(attributes, "deny", "not_ready", null, List.of(), PolicyEngine.NOT_LOADED);
            return denied(PolicyEngine.NOT_LOADED, Outcome.of(Outcome.Kind.ERROR, "not_ready"));
        } catch (RuntimeException e) {
            LOG.atError().setCause(e).log("evaluating MfaPolicies failed");
            audit(attributes, "deny", "evaluation_failed", null, List.of(), PolicyEngine.FAIL_CLOSED);
            return denied(PolicyEngine.FAIL_CLOSED, Outcome.of(Outcome.Kind.ERROR, "evaluation_failed"));
        }
        return switch (decision) {
            case Allow allow -> noOpinion(new Outcome(Outcome.Kind.NO_OPINION, allow.satisfiedPolicies().isEmpty()
                    ? null : allow.satisfiedPolicies().getFirst(), allow.reason().name().toLowerCase(Locale.ROOT),
                    List.of()));
            case Deny deny -> {
                Outcome outcome = Outcome.decided(Outcome.Kind.DENY, deny.policyName(), deny.missing());
                audit(attributes, "deny", "mfa_policy", deny.policyName(), outcome.missing(), deny.message());
                yield denied(deny.message(), outcome);
            }
            case AuditWarn warn -> {
                Outcome outcome = Outcome.decided(Outcome.Kind.AUDIT_WARN, warn.policyName(), warn.missing());
                audit(attributes, "audit_warn", "mfa_policy", warn.policyName(), outcome.missing(), warn.message());
                yield noOpinion(outcome);
            }
        };
    }

    private Reply denied(String reason, Outcome outcome) {
        return reply(new SubjectAccessReviewResponse.Status(false, true, reason), outcome);
    }

    private Reply noOpinion(Outcome outcome) {
        return reply(new SubjectAccessReviewResponse.Status(false, false, null), outcome);
    }

    private Reply reply(SubjectAccessReviewResponse.Status status, Outcome outcome) {
        return new Reply(json.write(new SubjectAccessReviewResponse(API_VERSION, KIND, status)), outcome);
    }

    private void audit(RequestAttributes attributes, String decision, String reason, String policy,
            List<String> missing, String message) {
        audit.record(AuditEvent.of(clock.instant(), NAME, decision, reason, policy, attributes, missing, message, null,
                null));
    }

    private static SubjectAccessReview.Spec validate(SubjectAccessReview review) throws RequestRejected {
        if (!API_VERSION.equals(review.apiVersion()) || !KIND.equals(review.kind())) {
            throw invalid("expected apiVersion \"" + API_VERSION + "\" and kind \"" + KIND + "\", got apiVersion "
                    + OneLine.quote(review.apiVersion()) + " and kind " + OneLine.quote(review.kind()));
        }
        SubjectAccessReview.Spec spec = review.spec();
        if (spec == null) {
            throw invalid("SubjectAccessReview has no spec");
        }
        if (spec.resourceAttributes() == null && spec.nonResourceAttributes() == null) {
            throw invalid("SubjectAccessReview spec has neither resourceAttributes nor nonResourceAttributes");
        }
        if (spec.groups() != null && spec.groups().contains(null)) {
            throw invalid("SubjectAccessReview spec.groups contains null");
        }
        return spec;
    }

    private static RequestAttributes attributes(SubjectAccessReview.Spec spec) {
        SubjectAccessReview.ResourceAttributes resource = spec.resourceAttributes();
        return new RequestAttributes(spec.user(), spec.groups(), resource.verb(), resource.group(),
                resource.resource(), resource.subresource(), resource.namespace(), Map.of(), resource.name());
    }

    private static RequestRejected invalid(String message) {
        return RequestRejected.badRequest("invalid_review", message);
    }
}
