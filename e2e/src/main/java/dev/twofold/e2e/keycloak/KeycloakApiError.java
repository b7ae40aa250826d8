package dev.twofold.e2e.keycloak;

/** Keycloak's admin API refused or failed a request; the message names the request, the status and Keycloak's answer. */
public final class KeycloakApiError extends RuntimeException {
    private final int status;

    public KeycloakApiError(String message, int status) {
        super(message);
        this.status = status;
    }

    public KeycloakApiError(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
    }

    /** The HTTP status, or -1 when no response arrived. */
    public int status() { return status; }
}
