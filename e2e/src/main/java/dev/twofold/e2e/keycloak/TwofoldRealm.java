package dev.twofold.e2e.keycloak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The {@code twofold} realm as Keycloak's import format: the demo users with their credentials, their groups, and the
 * {@code kubectl} client that puts {@code amr} and {@code groups} into ID tokens. The amr references on the
 * authentication flows are not part of it; {@link RealmSetup} configures those on the realm's built-in flows.
 */
public final class TwofoldRealm {
    public static final String NAME = "twofold";
    public static final String CLIENT_ID = "kubectl";
    /**
     * Loopback redirects, as kubectl's OIDC plugins use; Keycloak ignores the port of loopback redirect URIs
     * (RFC 8252), so one pattern covers any local listener.
     */
    public static final List<String> REDIRECT_URIS = List.of("http://127.0.0.1/*", "http://localhost/*");

    private static final ObjectMapper JSON = new ObjectMapper();

    private TwofoldRealm() {}

    public static ObjectNode representation(List<DemoUser> users) {
        ObjectNode realm = JSON.createObjectNode()
                .put("realm", NAME)
                .put("enabled", true)
                // Keycloak's default OTP policy, spelled out because Totp.forKeycloakSecret depends on it.
                .put("otpPolicyType", "totp")
                .put("otpPolicyAlgorithm", "HmacSHA1")
                .put("otpPolicyDigits", 6)
                .put("otpPolicyPeriod", 30)
                .put("otpPolicyLookAheadWindow", 1)
                // Tests log the same user in several times within one 30 s step; Twofold does not judge code reuse.
                .put("otpPolicyCodeReusable", true)
                // A test that feeds a wrong code on purpose must not lock the user out of the next test.
                .put("bruteForceProtected", false);
        ArrayNode groups = realm.putArray("groups");
        users.stream().flatMap(u -> u.groups().stream()).distinct().forEach(g -> groups.addObject().put("name", g));
        ArrayNode userArray = realm.putArray("users");
        users.forEach(u -> userArray.add(user(u)));
        realm.putArray("clients").add(kubectlClient());
        return realm;
    }

    private static ObjectNode user(DemoUser demo) {
        ObjectNode user = JSON.createObjectNode()
                .put("username", demo.username())
                .put("enabled", true)
                // a complete profile, or Keycloak's VERIFY_PROFILE action interrupts the browser login
                .put("firstName", capitalized(demo.username()))
                .put("lastName", "Demo")
                .put("email", demo.username() + "@twofold.test")
                .put("emailVerified", true);
        ArrayNode credentials = user.putArray("credentials");
        credentials.addObject().put("type", "password").put("value", demo.password()).put("temporary", false);
        demo.totpSecret().ifPresent(secret -> credentials.addObject()
                .put("type", "otp")
                .put("userLabel", "demo authenticator")
                // Both are JSON documents inside strings; the secret is taken as it is, its UTF-8 bytes are the key.
                .put("secretData", JSON.createObjectNode().put("value", secret).toString())
                .put("credentialData", JSON.createObjectNode().put("subType", "totp").put("digits", 6)
                        .put("counter", 0).put("period", 30).put("algorithm", "HmacSHA1").toString()));
        ArrayNode groups = user.putArray("groups");
        demo.groups().forEach(g -> groups.add("/" + g));
        return user;
    }

    private static ObjectNode kubectlClient() {
        ObjectNode client = JSON.createObjectNode()
                .put("clientId", CLIENT_ID)
                .put("name", "kubectl")
                .put("protocol", "openid-connect")
                .put("publicClient", true)
                .put("standardFlowEnabled", true)
                .put("directAccessGrantsEnabled", true)
                .put("implicitFlowEnabled", false)
                .put("serviceAccountsEnabled", false);
        ArrayNode redirects = client.putArray("redirectUris");
        REDIRECT_URIS.forEach(redirects::add);
        client.putObject("attributes").put("pkce.code.challenge.method", "S256");
        ArrayNode mappers = client.putArray("protocolMappers");
        // amr from the references configured on the executions the user completed (see RealmSetup)
        mappers.add(mapper("amr", "oidc-amr-mapper", Map.of()));
        // top-level group names, no leading slash: what the API server's claim mapping turns into groups
        mappers.add(mapper("groups", "oidc-group-membership-mapper", Map.of("claim.name", "groups", "full.path", "false")));
        return client;
    }

    private static ObjectNode mapper(String name, String type, Map<String, String> extra) {
        ObjectNode mapper = JSON.createObjectNode().put("name", name).put("protocol", "openid-connect").put("protocolMapper", type);
        ObjectNode config = mapper.putObject("config")
                .put("id.token.claim", "true")
                .put("access.token.claim", "true")
                .put("introspection.token.claim", "true")
                .put("userinfo.token.claim", "true");
        extra.forEach(config::put);
        return mapper;
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
