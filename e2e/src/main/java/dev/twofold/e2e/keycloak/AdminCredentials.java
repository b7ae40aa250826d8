package dev.twofold.e2e.keycloak;

/**
 * The bootstrap administrator of Keycloak's master realm. Keycloak creates it only when its database is empty, so a
 * state directory that outlives one run must be started again with the same credentials.
 */
public record AdminCredentials(String username, String password) {
    /** Good enough for a server that listens on loopback only and whose state lives in a throw-away directory. */
    public static final AdminCredentials LOCAL = new AdminCredentials("admin", "twofold-local-admin");

    @Override
    public String toString() {
        return "AdminCredentials[" + username + "]";
    }
}
