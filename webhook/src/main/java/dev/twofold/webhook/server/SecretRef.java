package dev.twofold.webhook.server;

import java.util.regex.Pattern;

/**
 * A Secret by namespace and name, written {@code namespace/name}.
 *
 * @param namespace a DNS label
 * @param name a DNS subdomain
 */
public record SecretRef(String namespace, String name) {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern SUBDOMAIN = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** Parses {@code namespace/name}; the message of the exception says what is wrong. */
    public static SecretRef parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            throw new IllegalArgumentException("expected <namespace>/<name>, got " + OneLine.quote(text));
        }
        String namespace = text.substring(0, slash);
        String name = text.substring(slash + 1);
        if (!LABEL.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace " + OneLine.quote(namespace) + " is not a valid namespace "
                    + "name (lower-case DNS label)");
        }
        if (!SUBDOMAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("name " + OneLine.quote(name) + " is not a valid Secret name "
                    + "(lower-case DNS subdomain)");
        }
        return new SecretRef(namespace, name);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
