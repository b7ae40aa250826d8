package dev.twofold.webhook.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.policy.RequestAttributes;
import dev.twofold.webhook.server.JsonCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonAuditLogTest {

    @Test
    void writesOneJsonObjectPerLineWithTheRequestAndTheReason() {
        List<String> lines = new ArrayList<>();
        JsonAuditLog log = new JsonAuditLog(new JsonCodec(), lines::add);
        RequestAttributes request = new RequestAttributes("bob", List.of("oidc:developers", "system:authenticated"),
                "connect", "", "pods", "exec", "demo", Map.of("kubernetes.io/metadata.name", "demo"), "web-0");

        log.record(AuditEvent.of(Instant.parse("2026-01-01T12:00:00Z"), "admission", "deny", "mfa_policy",
                "exec-needs-mfa", request, List.of("amr_not_satisfied"), "Twofold: MfaPolicy \"exec-needs-mfa\" "
                        + "requires a second factor\nfor connect pods/exec", "uid-1", false));

        assertThat(lines).containsExactly("{\"time\":\"2026-01-01T12:00:00Z\",\"endpoint\":\"admission\","
                + "\"decision\":\"deny\",\"reason\":\"mfa_policy\",\"policy\":\"exec-needs-mfa\",\"user\":\"bob\","
                + "\"groups\":[\"oidc:developers\",\"system:authenticated\"],\"verb\":\"connect\",\"apiGroup\":\"\","
                + "\"resource\":\"pods/exec\",\"namespace\":\"demo\",\"name\":\"web-0\","
                + "\"missing\":[\"amr_not_satisfied\"],\"message\":\"Twofold: MfaPolicy \\\"exec-needs-mfa\\\" "
                + "requires a second factor\\nfor connect pods/exec\",\"uid\":\"uid-1\",\"dryRun\":false}");
    }

    @Test
    void leavesOutWhatAnAuthorizationDecisionDoesNotHave() {
        List<String> lines = new ArrayList<>();
        JsonAuditLog log = new JsonAuditLog(new JsonCodec(), lines::add);
        RequestAttributes request = new RequestAttributes("mallory", List.of(), "impersonate",
                "authentication.k8s.io", "userextras", "twofold.dev/amr", "", Map.of(), "otp");

        log.record(AuditEvent.of(Instant.parse("2026-01-01T12:00:00Z"), "authorize", "deny", "impersonation_guard",
                null, request, List.of(), "denied", null, null));

        assertThat(lines).singleElement().asString()
                .doesNotContain("\"policy\"", "\"uid\"", "\"dryRun\"")
                .contains("\"resource\":\"userextras/twofold.dev/amr\"", "\"namespace\":\"\"");
    }
}
