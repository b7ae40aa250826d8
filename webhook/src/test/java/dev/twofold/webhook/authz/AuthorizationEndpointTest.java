package dev.twofold.webhook.authz;

import static dev.twofold.webhook.testing.Reviews.MFA_EXTRA;
import static dev.twofold.webhook.testing.Reviews.NO_EXTRA;
import static dev.twofold.webhook.testing.Reviews.PASSWORD_EXTRA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.twofold.webhook.audit.AuditEvent;
import dev.twofold.webhook.policy.LivePolicyEngine;
import dev.twofold.webhook.policy.PoliciesNotLoaded;
import dev.twofold.webhook.policy.PolicyEngine;
import dev.twofold.webhook.policy.PolicySnapshot;
import dev.twofold.webhook.server.JsonCodec;
import dev.twofold.webhook.server.Outcome;
import dev.twofold.webhook.server.Reply;
import dev.twofold.webhook.server.RequestRejected;
import dev.twofold.webhook.testing.RecordingAuditLog;
import dev.twofold.webhook.testing.Reviews;
import dev.twofold.webhook.testing.SamplePolicies;
import dev.twofold.webhook.testing.StaticNamespaces;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuthorizationEndpointTest {

    private static final Clock CLOCK = Clock.fixed(Reviews.NOW, ZoneOffset.UTC);
    private static final String HINT = SamplePolicies.HINT;
    private static final String NO_OPINION = "{\"apiVersion\":\"authorization.k8s.io/v1\","
            + "\"kind\":\"SubjectAccessReview\","
            + "\"status\":{\"allowed\":false,\"denied\":false}}";

    private final RecordingAuditLog audit = new RecordingAuditLog();

    private AuthorizationEndpoint endpoint(PolicyEngine engine) {
        return new AuthorizationEndpoint(engine, new ImpersonationGuard(Set.of("system:serviceaccount:twofold-system:"
                + "twofold-authn-proxy")), audit, CLOCK, new JsonCodec());
    }

    private AuthorizationEndpoint samples() {
        PolicySnapshot snapshot = new PolicySnapshot();
        snapshot.replace(SamplePolicies.set(SamplePolicies.ALL));
        return endpoint(new LivePolicyEngine(snapshot, new StaticNamespaces(SamplePolicies.NAMESPACES), CLOCK));
    }

    private static Reply handle(AuthorizationEndpoint endpoint, String body) throws Exception {
        return endpoint.handle(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Reply reply) {
        return new String(reply.body(), StandardCharsets.UTF_8);
    }

    private static String denied(String reason) {
        return "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"status\":{\"allowed\":"
                + "false,\"denied\":true,\"reason\":\"" + reason.replace("\"", "\\\"") + "\"}}";
    }

    static Stream<Arguments> decisions() {
        String impersonationDenied = "Twofold: impersonating second-factor evidence (userextras/twofold.dev/amr) is "
                + "reserved for the authenticating proxies allow-listed with --impersonation-proxies; user \"mallory\" "
                + "is not one of them";
        return Stream.of(
                arguments("reading a Secret without a second factor is denied",
                        Reviews.secretGet("bob", PASSWORD_EXTRA),
                        denied("Twofold: MfaPolicy \"secret-reads-need-mfa\" requires a second factor for get secrets "
                                + "in namespace demo: amr [pwd] satisfies none of [[otp], [hwk], [mfa]]. Step up: "
                                + HINT),
                        new Outcome(Outcome.Kind.DENY, "secret-reads-need-mfa", "amr_not_satisfied",
                                List.of("amr_not_satisfied"))),
                arguments("reading a Secret with TOTP gets no opinion: Twofold never grants, RBAC decides",
                        Reviews.secretGet("alice", MFA_EXTRA), NO_OPINION,
                        new Outcome(Outcome.Kind.NO_OPINION, "secret-reads-need-mfa", "all_satisfied", List.of())),
                arguments("listing pods is covered by no policy and gets no opinion",
                        Reviews.resourceSar("bob", NO_EXTRA, """
                                {"namespace": "demo", "verb": "list", "group": "", "version": "v1",
                                 "resource": "pods"}"""), NO_OPINION,
                        new Outcome(Outcome.Kind.NO_OPINION, null, "no_policy_matched", List.of())),
                arguments("an Audit policy's would-deny is no opinion",
                        Reviews.resourceSar("bob", PASSWORD_EXTRA, """
                                {"namespace": "demo", "verb": "delete", "group": "", "version": "v1",
                                 "resource": "configmaps", "name": "app-config"}"""), NO_OPINION,
                        new Outcome(Outcome.Kind.AUDIT_WARN, "configmap-writes-audit", "amr_not_satisfied",
                                List.of("amr_not_satisfied"))),
                arguments("a non-resource request gets no opinion", """
                        {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
                         "spec": {"nonResourceAttributes": {"path": "/healthz", "verb": "get"}, "user": "bob",
                                  "groups": ["system:authenticated"]}}""", NO_OPINION,
                        Outcome.of(Outcome.Kind.NO_OPINION, "non_resource")),
                arguments("impersonating the amr extra is denied to a user who is no proxy",
                        Reviews.impersonateExtra("mallory", "twofold.dev/amr"), denied(impersonationDenied),
                        Outcome.of(Outcome.Kind.DENY, "impersonation_guard")),
                arguments("impersonating the auth-time extra is denied too",
                        Reviews.impersonateExtra("mallory", "twofold.dev/auth-time"),
                        denied(impersonationDenied.replace("twofold.dev/amr", "twofold.dev/auth-time")),
                        Outcome.of(Outcome.Kind.DENY, "impersonation_guard")),
                arguments("impersonating every extra (userextras/*) is denied",
                        Reviews.impersonateExtra("mallory", "*"),
                        denied(impersonationDenied.replace("twofold.dev/amr", "*")),
                        Outcome.of(Outcome.Kind.DENY, "impersonation_guard")),
                arguments("extra keys are compared as the API server lower-cases them",
                        Reviews.impersonateExtra("mallory", "Twofold.Dev/AMR"),
                        denied(impersonationDenied.replace("twofold.dev/amr", "Twofold.Dev/AMR")),
                        Outcome.of(Outcome.Kind.DENY, "impersonation_guard")),
                arguments("an allow-listed proxy may impersonate evidence (RBAC still decides)",
                        Reviews.impersonateExtra("system:serviceaccount:twofold-system:twofold-authn-proxy",
                                "twofold.dev/amr"), NO_OPINION,
                        Outcome.of(Outcome.Kind.NO_OPINION, "no_policy_matched")),
                arguments("impersonating other extras is none of Twofold's business",
                        Reviews.impersonateExtra("mallory", "scopes"), NO_OPINION,
                        Outcome.of(Outcome.Kind.NO_OPINION, "no_policy_matched")),
                arguments("impersonating a user is none of Twofold's business",
                        Reviews.resourceSar("mallory", NO_EXTRA, """
                                {"verb": "impersonate", "group": "", "resource": "users", "name": "alice"}"""),
                        NO_OPINION, Outcome.of(Outcome.Kind.NO_OPINION, "no_policy_matched")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void answersEachDecision(String name, String body, String response, Outcome outcome) throws Exception {
        Reply reply = handle(samples(), body);

        assertThat(text(reply)).isEqualTo(response);
        assertThat(reply.outcome()).isEqualTo(outcome);
    }

    @Test
    void denialsAndWouldDeniesAreAuditedNoOpinionsAreNot() throws Exception {
        AuthorizationEndpoint endpoint = samples();
        handle(endpoint, Reviews.secretGet("alice", MFA_EXTRA));
        handle(endpoint, Reviews.secretGet("bob", PASSWORD_EXTRA));
        handle(endpoint, Reviews.impersonateExtra("mallory", "twofold.dev/amr"));
        handle(endpoint, Reviews.resourceSar("bob", PASSWORD_EXTRA, """
                {"namespace": "demo", "verb": "update", "group": "", "resource": "configmaps", "name": "cm"}"""));

        assertThat(audit.events()).extracting(AuditEvent::decision, AuditEvent::reason, AuditEvent::policy,
                AuditEvent::user, AuditEvent::resource).containsExactly(
                        tuple("deny", "mfa_policy", "secret-reads-need-mfa", "bob",
                                "secrets"),
                        tuple("deny", "impersonation_guard", null, "mallory",
                                "userextras/twofold.dev/amr"),
                        tuple("audit_warn", "mfa_policy", "configmap-writes-audit",
                                "bob", "configmaps"));
    }

    @Test
    void deniesWhenEvaluationThrows() throws Exception {
        AuthorizationEndpoint endpoint = endpoint((request, evidence) -> {
            throw new IllegalStateException("boom");
        });

        Reply reply = handle(endpoint, Reviews.secretGet("alice", MFA_EXTRA));

        assertThat(text(reply)).isEqualTo(denied(
                "Twofold could not evaluate MfaPolicies (internal error); failing closed"));
        assertThat(reply.outcome()).isEqualTo(Outcome.of(Outcome.Kind.ERROR, "evaluation_failed"));
    }

    @Test
    void deniesBeforeThePoliciesAreLoaded() throws Exception {
        AuthorizationEndpoint endpoint = endpoint((request, evidence) -> {
            throw new PoliciesNotLoaded("MfaPolicies");
        });

        Reply reply = handle(endpoint, Reviews.secretGet("alice", MFA_EXTRA));

        assertThat(text(reply)).isEqualTo(denied(
                "Twofold has not loaded the MfaPolicies yet (starting up); failing closed"));
        assertThat(reply.outcome()).isEqualTo(Outcome.of(Outcome.Kind.ERROR, "not_ready"));
    }

    @Test
    void theImpersonationGuardNeedsNoPolicies() throws Exception {
        AuthorizationEndpoint endpoint = endpoint((request, evidence) -> {
            throw new PoliciesNotLoaded("MfaPolicies");
        });

        Reply reply = handle(endpoint, Reviews.impersonateExtra("mallory", "twofold.dev/acr"));

        assertThat(reply.outcome()).isEqualTo(Outcome.of(Outcome.Kind.DENY, "impersonation_guard"));
    }

    static Stream<Arguments> invalidReviews() {
        return Stream.of(
                arguments("an AdmissionReview", Reviews.execConnect("u", "bob", NO_EXTRA), "expected apiVersion "
                        + "\"authorization.k8s.io/v1\" and kind \"SubjectAccessReview\", got apiVersion "
                        + "\"admission.k8s.io/v1\" and kind \"AdmissionReview\""),
                arguments("the v1beta1 API", "{\"apiVersion\": \"authorization.k8s.io/v1beta1\", \"kind\": "
                        + "\"SubjectAccessReview\", \"spec\": {}}", "expected apiVersion \"authorization.k8s.io/v1\" "
                        + "and kind \"SubjectAccessReview\", got apiVersion \"authorization.k8s.io/v1beta1\" and kind "
                        + "\"SubjectAccessReview\""),
                arguments("no spec", "{\"apiVersion\": \"authorization.k8s.io/v1\", \"kind\": "
                        + "\"SubjectAccessReview\"}", "SubjectAccessReview has no spec"),
                arguments("no attributes", "{\"apiVersion\": \"authorization.k8s.io/v1\", \"kind\": "
                        + "\"SubjectAccessReview\", \"spec\": {\"user\": \"bob\"}}", "SubjectAccessReview spec has "
                        + "neither resourceAttributes nor nonResourceAttributes"),
                arguments("extra values that are not lists", "{\"apiVersion\": \"authorization.k8s.io/v1\", \"kind\": "
                        + "\"SubjectAccessReview\", \"spec\": {\"user\": \"bob\", \"extra\": {\"twofold.dev/amr\": "
                        + "{\"x\": 1}}, \"resourceAttributes\": {}}}",
                        "field \"spec.extra.twofold.dev/amr\" of the SubjectAccessReview has the wrong type"));
    }

    @ParameterizedTest(name = "{0} is a bad request")
    @MethodSource("invalidReviews")
    void rejectsInvalidReviews(String name, String body, String message) {
        assertThatThrownBy(() -> handle(samples(), body))
                .isInstanceOfSatisfying(RequestRejected.class, rejected -> {
                    assertThat(rejected.status()).isEqualTo(400);
                    assertThat(rejected.getMessage()).isEqualTo(message);
                });
    }
}
