package dev.twofold.webhook.policy;

import dev.twofold.api.policy.PolicySet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live, immutable {@link PolicySet}: replaced whole by the informer thread, read lock-free by request threads.
 * Empty (not loaded) until the first replace.
 */
public final class PolicySnapshot {

    private final AtomicReference<PolicySet> current = new AtomicReference<>();

    /** The current set, or null before the first {@link #replace}. */
    public PolicySet current() {
        return current.get();
    }

    public void replace(PolicySet policies) {
        current.set(policies);
    }

    public boolean loaded() {
        return current.get() != null;
    }

    /** Policies in the current set (0 before loaded), for the {@code twofold_policies_loaded} gauge. */
    public int size() {
        PolicySet set = current.get();
        return set == null ? 0 : set.size();
    }
}
