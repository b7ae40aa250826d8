package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * Observed state of an {@link OidcIssuer}, written as a whole (a fresh object per change).
 *
 * @param observedGeneration {@code null} before the first reconcile
 * @param conditions never {@code null}
 * @param lastRefresh {@code null} before the keys were first fetched; RFC 3339 UTC, e.g.
 *     {@code 2026-01-01T00:00:00Z}
 * @param keyIds never {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"observedGeneration", "conditions", "lastRefresh", "keyIds"})
public record OidcIssuerStatus(
        @JsonPropertyDescription("The metadata.generation this status describes.")
        @Min(0)
        Long observedGeneration,

        @JsonPropertyDescription("Standard conditions: DiscoveryOK (the discovery document was fetched and names "
                + "this issuer), KeysLoaded (the signing keys were fetched), and Ready (tokens of this issuer are "
                + "being verified).")
        List<Condition> conditions,

        @JsonPropertyDescription("When the signing keys were last fetched successfully (RFC 3339).")
        String lastRefresh,

        @JsonPropertyDescription("The key IDs (kid) of the signing keys last fetched.")
        @Size(max = 256)
        List<String> keyIds) {

    /** Tokens of this issuer are being verified. */
    public static final String READY = "Ready";
    /** The discovery document was fetched and its issuer equals the spec's url. */
    public static final String DISCOVERY_OK = "DiscoveryOK";
    /** The JWKS was fetched and holds at least one usable key. */
    public static final String KEYS_LOADED = "KeysLoaded";

    public OidcIssuerStatus {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        keyIds = keyIds == null ? List.of() : List.copyOf(keyIds);
    }
}
