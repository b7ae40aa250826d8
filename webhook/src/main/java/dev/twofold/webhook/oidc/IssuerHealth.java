package dev.twofold.webhook.oidc;

import java.time.Instant;
import java.util.List;

/**
 * What an {@link IssuerVerifier} knows about its issuer, for the OidcIssuer status (conditions DiscoveryOK, KeysLoaded,
 * Ready; lastRefresh; keyIds).
 *
 * @param discovered the discovery document was fetched and names this issuer
 * @param keysLoaded a key set was fetched at least once
 * @param reachable the last fetch attempt succeeded
 * @param lastRefresh the last successful key fetch, {@code null} if none
 * @param keyIds the key IDs of the last fetched set
 * @param lastError the last discovery or fetch error, {@code null} if none since the last success
 */
public record IssuerHealth(boolean discovered, boolean keysLoaded, boolean reachable, Instant lastRefresh,
        List<String> keyIds, String lastError) {

    public IssuerHealth {
        keyIds = List.copyOf(keyIds);
    }

    /** Tokens of the issuer can be verified now. */
    public boolean ready() {
        return discovered && keysLoaded;
    }
}
