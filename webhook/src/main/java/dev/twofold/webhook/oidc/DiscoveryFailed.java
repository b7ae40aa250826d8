package dev.twofold.webhook.oidc;

/** The issuer's discovery document could not be fetched or does not describe this issuer. */
final class DiscoveryFailed extends Exception {

    private static final long serialVersionUID = 1L;

    DiscoveryFailed(String message) {
        super(message, null, false, false);
    }
}
