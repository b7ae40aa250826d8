package dev.twofold.webhook.oidc;

/** Turns a bearer token into a verified user or a typed failure; never throws for bad tokens. */
@FunctionalInterface
public interface TokenAuthenticator {

    /** Verifies {@code token}; {@code null} or empty is {@link VerificationFailure.Malformed}. */
    TokenVerification verify(String token);
}
