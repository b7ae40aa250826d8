package dev.twofold.e2e.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The realm's signing keys, rotated the way an IdP operator does it: add a new key provider with a higher priority
 * (Keycloak then signs with it and publishes both keys), later remove the old one.
 */
public final class RealmKeys {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROVIDER_TYPE = "org.keycloak.keys.KeyProvider";

    private final AdminApi api;

    public RealmKeys(AdminApi api) {
        this.api = api;
    }

    /** Adds a generated RS256 key that outranks every existing one; returns its provider's component id. */
    public String addActiveRsaKey(String name, int priority) {
        String realmId = api.get("/admin/realms/" + TwofoldRealm.NAME).orElseThrow().path("id").asText();
        ObjectNode component = JSON.createObjectNode()
                .put("name", name).put("providerId", "rsa-generated").put("providerType", PROVIDER_TYPE).put("parentId", realmId);
        ObjectNode config = component.putObject("config");
        config.putArray("priority").add(String.valueOf(priority));
        config.putArray("keySize").add("2048");
        config.putArray("active").add("true");
        config.putArray("enabled").add("true");
        config.putArray("algorithm").add("RS256");
        api.post("/admin/realms/" + TwofoldRealm.NAME + "/components", component);
        return rsaProviders().stream().filter(c -> c.path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new KeycloakApiError("the key provider " + name + " was not created", 0))
                .path("id").asText();
    }

    /** Removes every RS256 key provider but the one given: the old keys disappear from the JWKS. */
    public void removeRsaKeysExcept(String keepComponentId) {
        for (JsonNode provider : rsaProviders()) {
            if (!provider.path("id").asText().equals(keepComponentId)) {
                api.delete("/admin/realms/" + TwofoldRealm.NAME + "/components/" + provider.path("id").asText());
            }
        }
    }

    private List<JsonNode> rsaProviders() {
        JsonNode all = api.get("/admin/realms/" + TwofoldRealm.NAME + "/components?type=" + PROVIDER_TYPE).orElseThrow();
        List<JsonNode> rsa = new ArrayList<>();
        for (JsonNode component : all) {
            String provider = component.path("providerId").asText();
            if (provider.equals("rsa-generated") || provider.equals("rsa")) rsa.add(component);
        }
        return rsa;
    }
}
