package dev.twofold.webhook.server;

/**
 * A request answered without a result: with {@code status} and {@code {"error": message}}, usually a client error (4xx);
 * a 503 tells the client to ask again (sent with {@code Retry-After}). Carries no stack trace
 * (it is control flow, and bad input is cheap to send).
 */
public final class RequestRejected extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String reason;

    /**
     * @param status the HTTP status, 4xx or 503
     * @param reason the metric reason, snake_case, e.g. {@code malformed_json}
     * @param message what is wrong, for the caller; one line, untrusted values already sanitized
     */
    public RequestRejected(int status, String reason, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    /** A 400 Bad Request. */
    public static RequestRejected badRequest(String reason, String message) {
        return new RequestRejected(400, reason, message);
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
