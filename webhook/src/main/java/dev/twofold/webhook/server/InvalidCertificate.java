package dev.twofold.webhook.server;

/** The serving certificate or key cannot be used; the message says why, and never contains key material. */
public final class InvalidCertificate extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidCertificate(String message) {
        super(message);
    }

    public InvalidCertificate(String message, Throwable cause) {
        super(message, cause);
    }
}
