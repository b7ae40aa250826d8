package dev.twofold.e2e.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings a running Keycloak to the {@code twofold} realm through the admin API, idempotently: the realm (users,
 * groups, the kubectl client) is imported when it is absent and left alone when present; the amr references on the
 * built-in browser and direct-grant flows are reconciled every time, so a run interrupted between the two steps heals.
 */
public final class RealmSetup {
    /**
     * Which amr value each authenticator contributes, per built-in flow. Keycloak's amr mapper emits the
     * {@code default.reference.value} of every execution the user completed; executions without one add nothing.
     */
    static final Map<String, Map<String, String>> AMR_REFERENCES = Map.of(
            "browser", Map.of("auth-username-password-form", "pwd", "auth-otp-form", "otp"),
            "direct grant", Map.of("direct-grant-validate-password", "pwd", "direct-grant-validate-otp", "otp"));
    /**
     * How long a reference stays in tokens after its step was completed (Keycloak's {@code default.reference.maxAge}).
     * Keycloak reads an absent value as 0, which keeps amr only in tokens issued within the login's own second: an
     * authorization code redeemed a moment later, or any refresh, would lose it. Ten hours is the SSO session maximum,
     * so amr tells how the session was authenticated and auth_time tells when.
     */
    static final Duration AMR_MAX_AGE = Duration.ofHours(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AdminApi api;
    private final List<DemoUser> users;

    public RealmSetup(AdminApi api, List<DemoUser> users) {
        this.api = api;
        this.users = List.copyOf(users);
    }

    public RealmSetup(AdminApi api) {
        this(api, DemoUser.ALL);
    }

    /** Returns true when it created the realm, false when the realm was already there. */
    public boolean apply() {
        boolean created = false;
        if (api.get(realmPath()).isEmpty()) {
            try {
                api.post("/admin/realms", TwofoldRealm.representation(users));
                created = true;
            } catch (KeycloakApiError e) {
                if (e.status() != 409) throw e; // 409: a concurrent setup created it first, which is as good
            }
        }
        AMR_REFERENCES.forEach(this::configureAmrReferences);
        return created;
    }

    private void configureAmrReferences(String flow, Map<String, String> referenceByAuthenticator) {
        String executionsPath = realmPath() + "/authentication/flows/" + URLEncoder.encode(flow, StandardCharsets.UTF_8)
                .replace("+", "%20") + "/executions";
        JsonNode executions = api.get(executionsPath)
                .orElseThrow(() -> new KeycloakApiError("the " + TwofoldRealm.NAME + " realm has no '" + flow + "' flow", 404));
        Set<String> seen = new HashSet<>();
        for (JsonNode execution : executions) {
            String authenticator = execution.path("providerId").asText("");
            String reference = referenceByAuthenticator.get(authenticator);
            if (reference == null) continue;
            seen.add(authenticator);
            ObjectNode wanted = JSON.createObjectNode();
            wanted.putObject("config")
                    .put("default.reference.value", reference)
                    .put("default.reference.maxAge", Long.toString(AMR_MAX_AGE.toSeconds()));
            String configId = execution.path("authenticationConfig").asText("");
            if (configId.isEmpty()) {
                wanted.put("alias", "amr " + flow + " " + authenticator);
                api.post(realmPath() + "/authentication/executions/" + execution.path("id").asText() + "/config", wanted);
            } else {
                String configPath = realmPath() + "/authentication/config/" + configId;
                JsonNode existing = api.get(configPath).orElseThrow(() -> new KeycloakApiError(
                        "execution " + authenticator + " names config " + configId + ", which does not exist", 404));
                if (existing.path("config").equals(wanted.path("config"))) continue;
                wanted.put("id", configId).put("alias", existing.path("alias").asText());
                api.put(configPath, wanted);
            }
        }
        if (!seen.equals(referenceByAuthenticator.keySet())) {
            // Keycloak changed its built-in flow; without this check amr would silently lose a value
            throw new KeycloakApiError("the '" + flow + "' flow of realm " + TwofoldRealm.NAME + " lacks "
                    + referenceByAuthenticator.keySet().stream().filter(a -> !seen.contains(a)).toList(), 0);
        }
    }

    private static String realmPath() {
        return "/admin/realms/" + TwofoldRealm.NAME;
    }

}
