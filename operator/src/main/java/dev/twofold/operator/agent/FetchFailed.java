package dev.twofold.operator.agent;

import java.time.Duration;
import java.util.Optional;

/**
 * The endpoint did not issue a certificate.
 *
 * @see #status()
 */
final class FetchFailed extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Optional<Duration> retryAfter;

    /**
     * @param status the HTTP status, or 0 when no answer arrived (connection, TLS or timeout)
     * @param message the server's {@code error} text or what went wrong
     */
    FetchFailed(int status, String message, Optional<Duration> retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    int status() {
        return status;
    }

    /** When the server asked to be asked again (a standby replica, no active CA yet). */
    Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
