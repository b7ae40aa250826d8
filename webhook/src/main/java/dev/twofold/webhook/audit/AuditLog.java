package dev.twofold.webhook.audit;

/** Where deny and would-deny decisions are recorded, one event each. */
@FunctionalInterface
public interface AuditLog {

    void record(AuditEvent event);
}
