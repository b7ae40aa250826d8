package dev.twofold.webhook.oidc;

/** What verifying one bearer token came to: a {@link VerifiedToken} or a {@link VerificationFailure}. */
public sealed interface TokenVerification permits VerifiedToken, VerificationFailure {
}
