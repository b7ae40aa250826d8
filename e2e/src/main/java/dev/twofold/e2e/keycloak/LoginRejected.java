package dev.twofold.e2e.keycloak;

/**
 * Keycloak refused a login: an OAuth error from the token endpoint (e.g. {@code invalid_grant} for a wrong password or
 * TOTP code), or an error shown on a login page. {@link #getMessage()} says which user, which flow and why.
 */
public final class LoginRejected extends RuntimeException {
    private final String error;
    private final String description;

    public LoginRejected(String flow, String username, String error, String description) {
        super("Keycloak rejected the " + flow + " of " + username + ": " + error
                + (description.isEmpty() ? "" : " (" + description + ")"));
        this.error = error;
        this.description = description;
    }

    /** The OAuth error code, or {@code login_page} when a login page showed an error instead of moving on. */
    public String error() { return error; }

    public String description() { return description; }
}
