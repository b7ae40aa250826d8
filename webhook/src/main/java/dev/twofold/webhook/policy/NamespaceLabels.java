package dev.twofold.webhook.policy;

import java.util.Map;

/** The labels of namespaces, for MfaPolicy namespace selectors. */
public interface NamespaceLabels {

    /** The labels of {@code namespace}; empty when it is unknown. Never null; callers must not modify it. */
    Map<String, String> labels(String namespace);

    /** Whether the labels reflect the cluster (the informer's first list is in). */
    boolean synced();
}
