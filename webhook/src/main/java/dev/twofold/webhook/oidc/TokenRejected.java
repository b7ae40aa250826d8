package dev.twofold.webhook.oidc;

/**
 * Carries a {@link VerificationFailure} out of the verification steps. Control flow for untrusted input, so it has no
 * stack trace: a flood of bad tokens must stay cheap.
 */
final class TokenRejected extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient VerificationFailure failure;

    TokenRejected(VerificationFailure failure) {
        super(failure.reason(), null, false, false);
        this.failure = failure;
    }

    VerificationFailure failure() {
        return failure;
    }
}
