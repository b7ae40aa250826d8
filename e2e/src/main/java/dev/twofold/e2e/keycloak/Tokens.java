package dev.twofold.e2e.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * What a token endpoint returned to a kubectl-like client.
 *
 * @param expiry when the access token expires, by the clock of the login that obtained it
 */
public record Tokens(String idToken, String accessToken, Optional<String> refreshToken, Instant expiry) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The ID token's claims, decoded without checking the signature: the harness only reads what Keycloak issued,
     * verifying tokens is the job of the code under test.
     */
    public JsonNode idTokenClaims() { return claimsOf(idToken); }

    public JsonNode accessTokenClaims() { return claimsOf(accessToken); }

    static JsonNode claimsOf(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) throw new IllegalArgumentException("not a compact JWS: " + parts.length + " parts");
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the JWT payload is not base64url JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        // never the tokens themselves: they are bearer credentials, and these records end up in logs
        return "Tokens[expiry=" + expiry + ", refreshable=" + refreshToken.isPresent() + "]";
    }
}
