package dev.twofold.webhook.admission;

import static dev.twofold.webhook.testing.Reviews.MFA_EXTRA;
import static dev.twofold.webhook.testing.Reviews.NO_EXTRA;
import static dev.twofold.webhook.testing.Reviews.PASSWORD_EXTRA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AdmissionEndpointTest {

    private static final String UID = "705ab4f5-6393-11e8-b7cc-42010a800002";
    private static final String HINT = SamplePolicies.HINT;
    private static final Clock CLOCK = Clock.fixed(Reviews.NOW, ZoneOffset.UTC);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private final RecordingAuditLog audit = new RecordingAuditLog();

    private AdmissionEndpoint endpoint(PolicyEngine engine) {
        return new AdmissionEndpoint(engine, audit, CLOCK, new JsonCodec());
    }

    private AdmissionEndpoint samples() {
        PolicySnapshot snapshot = new PolicySnapshot();
        snapshot.replace(SamplePolicies.set(SamplePolicies.ALL));
        return endpoint(new LivePolicyEngine(snapshot, new StaticNamespaces(SamplePolicies.NAMESPACES), CLOCK));
    }

    private static Reply handle(AdmissionEndpoint endpoint, String body) throws Exception {
        return endpoint.handle(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode json(Reply reply) throws Exception {
        return MAPPER.readTree(reply.body());
    }

    /** What the response must say, and what the request comes to. */
    record Expected(boolean allowed, String denial, String warning, Map<String, String> annotations,
            Outcome outcome) {
    }

    static Stream<Arguments> decisions() {
        return Stream.of(
                arguments("exec by a user with password and TOTP is allowed",
                        Reviews.execConnect(UID, "alice", MFA_EXTRA),
                        new Expected(true, null, null, null, new Outcome(Outcome.Kind.ALLOW, "exec-needs-mfa",
                                "all_satisfied", List.of()))),
                arguments("exec with a password only is denied, naming the policy, the missing factor and the hint",
                        Reviews.execConnect(UID, "bob", PASSWORD_EXTRA),
                        new Expected(false, "Twofold: MfaPolicy \"exec-needs-mfa\" requires a second factor for "
                                + "connect pods/exec in namespace demo: amr [pwd] satisfies none of [[otp], [hwk], "
                                + "[mfa]]. Step up: " + HINT, null, null,
                                new Outcome(Outcome.Kind.DENY, "exec-needs-mfa", "amr_not_satisfied",
                                        List.of("amr_not_satisfied")))),
                arguments("exec without any evidence lists every unmet requirement",
                        Reviews.execConnect(UID, "bob", NO_EXTRA),
                        new Expected(false, "Twofold: MfaPolicy \"exec-needs-mfa\" requires a second factor for "
                                + "connect pods/exec in namespace demo: amr absent, need one of [[otp], [hwk], [mfa]]; "
                                + "auth_time absent, need authentication within 12h. Step up: " + HINT, null, null,
                                new Outcome(Outcome.Kind.DENY, "exec-needs-mfa", "amr_absent",
                                        List.of("amr_absent", "auth_time_absent")))),
                arguments("creating a ClusterRoleBinding with a password only is denied at cluster scope",
                        Reviews.clusterRoleBindingCreate(UID, "bob", PASSWORD_EXTRA, false),
                        new Expected(false, "Twofold: MfaPolicy \"rbac-writes-need-mfa\" requires a second factor for "
                                + "create clusterrolebindings.rbac.authorization.k8s.io at cluster scope: amr [pwd] "
                                + "satisfies none of [[otp], [hwk], [mfa]]. Step up: " + HINT, null, null,
                                new Outcome(Outcome.Kind.DENY, "rbac-writes-need-mfa", "amr_not_satisfied",
                                        List.of("amr_not_satisfied")))),
                arguments("a dry run is judged like any request",
                        Reviews.clusterRoleBindingCreate(UID, "bob", PASSWORD_EXTRA, true),
                        new Expected(false, "Twofold: MfaPolicy \"rbac-writes-need-mfa\" requires a second factor for "
                                + "create clusterrolebindings.rbac.authorization.k8s.io at cluster scope: amr [pwd] "
                                + "satisfies none of [[otp], [hwk], [mfa]]. Step up: " + HINT, null, null,
                                new Outcome(Outcome.Kind.DENY, "rbac-writes-need-mfa", "amr_not_satisfied",
                                        List.of("amr_not_satisfied")))),
                arguments("creating a ClusterRoleBinding with TOTP is allowed",
                        Reviews.clusterRoleBindingCreate(UID, "alice", MFA_EXTRA, false),
                        new Expected(true, null, null, null, new Outcome(Outcome.Kind.ALLOW, "rbac-writes-need-mfa",
                                "all_satisfied", List.of()))),
                arguments("creating a Secret is covered by no policy and allowed",
                        Reviews.secretCreate(UID, "bob", NO_EXTRA),
                        new Expected(true, null, null, null, new Outcome(Outcome.Kind.ALLOW, null,
                                "no_policy_matched", List.of()))),
                arguments("an Audit policy allows with a warning and audit annotations",
                        Reviews.configMapUpdate(UID, "demo", "bob", PASSWORD_EXTRA),
                        new Expected(true, null, "Twofold audit: MfaPolicy \"configmap-writes-audit\" would deny "
                                + "update configmaps in namespace demo: amr [pwd] satisfies none of [[otp], [hwk], "
                                + "[mfa]].", Map.of("would-deny", "configmap-writes-audit",
                                        "missing", "amr_not_satisfied"),
                                new Outcome(Outcome.Kind.AUDIT_WARN, "configmap-writes-audit", "amr_not_satisfied",
                                        List.of("amr_not_satisfied")))),
                arguments("the Audit policy's namespace selector leaves other namespaces alone",
                        Reviews.configMapUpdate(UID, "prod", "bob", PASSWORD_EXTRA),
                        new Expected(true, null, null, null, new Outcome(Outcome.Kind.ALLOW, null,
                                "no_policy_matched", List.of()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void answersEachDecision(String name, String body, Expected expected) throws Exception {
        Reply reply = handle(samples(), body);

        JsonNode review = json(reply);
        assertThat(review.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(review.path("kind").asText()).isEqualTo("AdmissionReview");
        JsonNode response = review.path("response");
        assertThat(response.path("uid").asText()).isEqualTo(UID);
        assertThat(response.path("allowed").asBoolean()).isEqualTo(expected.allowed());
        if (expected.denial() == null) {
            assertThat(response.has("status")).isFalse();
        } else {
            assertThat(response.path("status").path("code").asInt()).isEqualTo(403);
            assertThat(response.path("status").path("reason").asText()).isEqualTo("Forbidden");
            assertThat(response.path("status").path("message").asText()).isEqualTo(expected.denial());
        }
        if (expected.warning() == null) {
            assertThat(response.has("warnings")).isFalse();
            assertThat(response.has("auditAnnotations")).isFalse();
        } else {
            assertThat(response.path("warnings")).hasSize(1);
            assertThat(response.path("warnings").get(0).asText()).isEqualTo(expected.warning());
            assertThat(MAPPER.convertValue(response.path("auditAnnotations"), STRING_MAP))
                    .isEqualTo(expected.annotations());
        }
        assertThat(reply.outcome()).isEqualTo(expected.outcome());
    }

    @Test
    void anAllowIsTheSmallestValidResponse() throws Exception {
        Reply reply = handle(samples(), Reviews.execConnect(UID, "alice", MFA_EXTRA));

        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\"" + UID
                        + "\",\"allowed\":true}}");
    }

    @Test
    void aDenialIsAuditedWithWhoWhatAndWhyButNoCredentials() throws Exception {
        handle(samples(), Reviews.clusterRoleBindingCreate(UID, "bob", PASSWORD_EXTRA, true));

        assertThat(audit.events()).containsExactly(new AuditEvent(Reviews.NOW, "admission", "deny", "mfa_policy",
                "rbac-writes-need-mfa", "bob", List.of("oidc:developers", "system:authenticated"), "create",
                "rbac.authorization.k8s.io", "clusterrolebindings", "", "alice-admin", List.of("amr_not_satisfied"),
                "Twofold: MfaPolicy \"rbac-writes-need-mfa\" requires a second factor for create "
                        + "clusterrolebindings.rbac.authorization.k8s.io at cluster scope: amr [pwd] satisfies none of "
                        + "[[otp], [hwk], [mfa]]. Step up: " + HINT, UID, true));
    }

    @Test
    void aWouldDenyIsAuditedAndAnAllowIsNot() throws Exception {
        AdmissionEndpoint endpoint = samples();
        handle(endpoint, Reviews.execConnect(UID, "alice", MFA_EXTRA));
        handle(endpoint, Reviews.configMapUpdate("uid-2", "demo", "bob", PASSWORD_EXTRA));

        assertThat(audit.events()).singleElement().satisfies(event -> {
            assertThat(event.decision()).isEqualTo("audit_warn");
            assertThat(event.policy()).isEqualTo("configmap-writes-audit");
            assertThat(event.resource()).isEqualTo("configmaps");
            assertThat(event.namespace()).isEqualTo("demo");
            assertThat(event.uid()).isEqualTo("uid-2");
            assertThat(event.dryRun()).isFalse();
        });
    }

    @Test
    void evidenceComesOnlyFromTwofoldExtrasNotFromTheObject() throws Exception {
        // The object (user-controlled) claims MFA in annotations and fields named like extras: it must not count.
        String body = Reviews.admissionReview("""
                {"uid": "u", "resource": {"group": "", "version": "v1", "resource": "pods"}, "subResource": "exec",
                 "name": "web-0", "namespace": "demo", "operation": "CONNECT",
                 "userInfo": {"username": "bob", "groups": ["oidc:developers"],
                              "extra": {"amr": ["otp"], "twofold.dev/amr-x": ["otp"]}},
                 "object": {"metadata": {"annotations": {"twofold.dev/amr": "otp"}},
                            "extra": {"twofold.dev/amr": ["otp"]}}}""");

        Reply reply = handle(samples(), body);

        assertThat(reply.outcome().kind()).isEqualTo(Outcome.Kind.DENY);
        assertThat(reply.outcome().missing()).containsExactly("amr_absent", "auth_time_absent");
    }

    @Test
    void failsClosedWhenEvaluationThrows() throws Exception {
        AdmissionEndpoint endpoint = endpoint((request, evidence) -> {
            throw new IllegalStateException("index corrupted");
        });

        Reply reply = handle(endpoint, Reviews.execConnect(UID, "alice", MFA_EXTRA));

        JsonNode response = json(reply).path("response");
        assertThat(response.path("uid").asText()).isEqualTo(UID);
        assertThat(response.path("allowed").asBoolean()).isFalse();
        assertThat(response.path("status").path("code").asInt()).isEqualTo(500);
        assertThat(response.path("status").path("message").asText())
                .isEqualTo("Twofold could not evaluate MfaPolicies (internal error); failing closed");
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).doesNotContain("index corrupted");
        assertThat(reply.outcome()).isEqualTo(Outcome.of(Outcome.Kind.ERROR, "evaluation_failed"));
        assertThat(audit.events()).singleElement().extracting(AuditEvent::reason).isEqualTo("evaluation_failed");
    }

    @Test
    void failsClosedBeforeThePoliciesAreLoaded() throws Exception {
        AdmissionEndpoint endpoint = endpoint((request, evidence) -> {
            throw new PoliciesNotLoaded("MfaPolicies");
        });

        Reply reply = handle(endpoint, Reviews.secretCreate(UID, "alice", MFA_EXTRA));

        JsonNode response = json(reply).path("response");
        assertThat(response.path("allowed").asBoolean()).isFalse();
        assertThat(response.path("status").path("code").asInt()).isEqualTo(503);
        assertThat(response.path("status").path("message").asText())
                .isEqualTo("Twofold has not loaded the MfaPolicies yet (starting up); failing closed");
        assertThat(reply.outcome()).isEqualTo(Outcome.of(Outcome.Kind.ERROR, "not_ready"));
    }

    static Stream<Arguments> invalidReviews() {
        String user = "\"userInfo\": {\"username\": \"bob\", \"groups\": [\"g\"]}";
        String resource = "\"resource\": {\"group\": \"\", \"version\": \"v1\", \"resource\": \"pods\"}";
        return Stream.of(
                arguments("an empty body", "", "request body is empty; expected a JSON AdmissionReview"),
                arguments("a JSON array", "[]", "request body is not a JSON object; expected a AdmissionReview"),
                arguments("broken JSON", "{\"kind\": \"AdmissionReview\",", "request body is not valid JSON: it ends "
                        + "early (line 1, column 28)"),
                arguments("content after the object", Reviews.execConnect(UID, "bob", NO_EXTRA) + " {}",
                        "request body has content after the JSON object"),
                arguments("the v1beta1 API", "{\"apiVersion\": \"admission.k8s.io/v1beta1\", \"kind\": "
                        + "\"AdmissionReview\", \"request\": {}}", "expected apiVersion \"admission.k8s.io/v1\" and "
                        + "kind \"AdmissionReview\", got apiVersion \"admission.k8s.io/v1beta1\" and kind "
                        + "\"AdmissionReview\""),
                arguments("a SubjectAccessReview", Reviews.secretGet("bob", NO_EXTRA), "expected apiVersion "
                        + "\"admission.k8s.io/v1\" and kind \"AdmissionReview\", got apiVersion "
                        + "\"authorization.k8s.io/v1\" and kind \"SubjectAccessReview\""),
                arguments("no request", "{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\"}",
                        "AdmissionReview has no request"),
                arguments("no uid", Reviews.admissionReview("{\"operation\": \"CREATE\", " + resource + ", " + user
                        + "}"), "AdmissionReview request has no uid"),
                arguments("no operation", Reviews.admissionReview("{\"uid\": \"u\", " + resource + ", " + user + "}"),
                        "AdmissionReview request has no operation"),
                arguments("an unknown operation", Reviews.admissionReview("{\"uid\": \"u\", \"operation\": \"PATCH\", "
                        + resource + ", " + user + "}"), "AdmissionReview request.operation \"PATCH\" is not one of "
                        + "CREATE, UPDATE, DELETE, CONNECT"),
                arguments("no resource", Reviews.admissionReview("{\"uid\": \"u\", \"operation\": \"CREATE\", " + user
                        + "}"), "AdmissionReview request has no resource"),
                arguments("no userInfo", Reviews.admissionReview("{\"uid\": \"u\", \"operation\": \"CREATE\", "
                        + resource + "}"), "AdmissionReview request has no userInfo"),
                arguments("groups that are not a list", Reviews.admissionReview("{\"uid\": \"u\", \"operation\": "
                        + "\"CREATE\", " + resource + ", \"userInfo\": {\"username\": \"bob\", \"groups\": "
                        + "{\"a\": 1}}}"), "field \"request.userInfo.groups\" of the AdmissionReview has the wrong "
                        + "type"),
                arguments("a null group", Reviews.admissionReview("{\"uid\": \"u\", \"operation\": \"CREATE\", "
                        + resource + ", \"userInfo\": {\"username\": \"bob\", \"groups\": [null]}}"),
                        "AdmissionReview request.userInfo.groups contains null"));
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
