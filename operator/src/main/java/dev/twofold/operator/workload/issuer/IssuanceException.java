package dev.twofold.operator.workload.issuer;

/**
 * A certificate that could not be issued, with a typed reason and a one-line message. {@link Reason#isUserError()}
 * tells the request paths whether to deny (the policy, pod or request is at fault; retrying cannot help) or fail and
 * retry (our fault or a transient state).
 */
public final class IssuanceException extends Exception {

    /** Why nothing was issued. */
    public enum Reason {
        /** The policy or trust domain spec is invalid (template syntax, durations); fix the object. */
        POLICY_INVALID(true),
        /** A template renders to an unacceptable name for this pod (missing label, bad DNS name, escape). */
        TEMPLATE_RENDERING(true),
        /** The key's type is not in the policy's keyTypes. */
        KEY_TYPE_NOT_ALLOWED(true),
        /** The request asks for a SPIFFE ID other than the one policy gives the pod. */
        IDENTITY_MISMATCH(true),
        /** The request path's lifetime limits cannot be met within the trust domain's bounds and the CA's life. */
        LIFETIME_UNSATISFIABLE(true),
        /** The CA is not valid now; rotation should fix it. */
        CA_NOT_VALID(false),
        /** Signing failed (provider error). */
        SIGNING_FAILED(false),
        /** The signed certificate failed re-validation: a bug, never handed out. */
        VALIDATION_FAILED(false);

        private final boolean userError;

        Reason(boolean userError) {
            this.userError = userError;
        }

        public boolean isUserError() {
            return userError;
        }
    }

    private final Reason reason;

    public IssuanceException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public IssuanceException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
