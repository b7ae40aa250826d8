package dev.twofold.webhook.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * What must hold before the webhook takes traffic (a loaded certificate, synced informers), and the switch that
 * takes it out again on shutdown. {@code /readyz} reports it.
 */
public final class Readiness {

    private final Map<String, BooleanSupplier> conditions = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();

    /** Adds a condition, e.g. {@code ("serving certificate loaded", keys::loaded)}. */
    public void require(String description, BooleanSupplier condition) {
        conditions.put(description, condition);
    }

    /** Marks the webhook as shutting down: never ready again. */
    public void stopping() {
        stopping.set(true);
    }

    /** The conditions that do not hold, sorted; empty when ready. */
    public List<String> unmet() {
        List<String> unmet = new ArrayList<>();
        if (stopping.get()) {
            unmet.add("shutting down");
        }
        conditions.forEach((description, condition) -> {
            if (!condition.getAsBoolean()) {
                unmet.add(description);
            }
        });
        unmet.sort(null);
        return unmet;
    }

    public boolean ready() {
        return unmet().isEmpty();
    }
}
