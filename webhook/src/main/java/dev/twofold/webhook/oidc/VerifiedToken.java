package dev.twofold.webhook.oidc;

import java.time.Instant;
import java.util.List;

/**
 * A token whose signature and claims checked out: who it is, for which audiences, and until when.
 *
 * @param issuerName the OidcIssuer's name (the metrics' {@code issuer} tag)
 * @param user the mapped Kubernetes user
 * @param audiences the token's {@code aud} values
 * @param expiresAt the token's {@code exp}; cached results never outlive it
 */
public record VerifiedToken(String issuerName, AuthenticatedUser user, List<String> audiences, Instant expiresAt)
        implements TokenVerification {

    public VerifiedToken {
        audiences = List.copyOf(audiences);
    }
}
