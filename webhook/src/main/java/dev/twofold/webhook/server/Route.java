package dev.twofold.webhook.server;

/**
 * An endpoint served at an exact path.
 *
 * @param path e.g. {@code /admission/mfa}
 * @param name the metric tag, e.g. {@code admission}
 * @param endpoint the handler
 */
public record Route(String path, String name, Endpoint endpoint) {
}
