package dev.twofold.webhook.testing;

import dev.twofold.webhook.policy.NamespaceLabels;
import java.util.Map;

/** Fixed namespace labels, always synced. */
public record StaticNamespaces(Map<String, Map<String, String>> labels) implements NamespaceLabels {

    @Override
    public Map<String, String> labels(String namespace) {
        return labels.getOrDefault(namespace, Map.of());
    }

    @Override
    public boolean synced() {
        return true;
    }
}
