package dev.twofold.webhook.oidc;

/** An OidcIssuer whose spec cannot be used (it failed validation); the message lists every error with its path. */
public final class InvalidIssuer extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidIssuer(String name, String errors) {
        super("OidcIssuer " + name + " is invalid: " + errors);
    }
}
