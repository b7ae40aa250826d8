package dev.twofold.operator.pki;

/** PEM text that does not hold what it should; the message says what was expected, for a status or Event. */
public final class InvalidPemException extends Exception {

    public InvalidPemException(String message) {
        super(message);
    }

    public InvalidPemException(String message, Throwable cause) {
        super(message, cause);
    }
}
