package dev.twofold.operator.workload.ca;

/**
 * CA material (a Secret's data, a user-provided root) that cannot be used, with a typed reason and a one-line message
 * naming what is wrong and where (e.g. the Secret data key). A user error: report it on the TrustDomain's status and
 * stop retrying until the input changes.
 */
public final class CaMaterialException extends Exception {

    /** Why the material was rejected. */
    public enum Reason {
        /** A required data key is absent or empty. */
        MISSING,
        /** Not base64, or not PEM where PEM was expected. */
        MALFORMED_ENCODING,
        /** A PEM block of the wrong type (e.g. an encrypted or legacy private key). */
        UNSUPPORTED_PEM_TYPE,
        /** A certificate that does not parse as X.509. */
        MALFORMED_CERTIFICATE,
        /** A private key that does not parse as PKCS#8, or of an unsupported algorithm. */
        MALFORMED_KEY,
        /** The private key does not belong to the certificate. */
        KEY_MISMATCH,
        /** The certificate cannot sign certificates (no CA flag, no keyCertSign, or path length exhausted). */
        NOT_A_CA,
        /** The certificate is expired or not yet valid. */
        NOT_VALID_NOW,
        /** A date that does not parse. */
        MALFORMED_TIME
    }

    private final Reason reason;

    public CaMaterialException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public CaMaterialException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
