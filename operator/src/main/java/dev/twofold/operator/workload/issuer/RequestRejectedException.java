package dev.twofold.operator.workload.issuer;

/**
 * A certificate request whose key material cannot be accepted, with a typed reason and a one-line message for the
 * requester (a Denied condition, an HTTP 400). The requester's fault: never retried.
 */
public final class RequestRejectedException extends Exception {

    /** Why the request was rejected. */
    public enum Reason {
        /** The request (CSR, public key or proof) is larger than allowed. */
        TOO_LARGE,
        /** Not PEM, not DER, not the expected structure. */
        MALFORMED,
        /** A signature algorithm this signer does not verify (e.g. SHA-1). */
        UNSUPPORTED_SIGNATURE_ALGORITHM,
        /** The self-signature or proof of possession does not verify. */
        BAD_SIGNATURE,
        /** A key algorithm, curve or size this signer does not certify (PodCertificateRequest: UnsupportedKeyType). */
        UNSUPPORTED_KEY_TYPE
    }

    private final Reason reason;

    public RequestRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
