/** The audit log: one JSON line per deny and would-deny, on the logger {@code dev.twofold.audit}. */
package dev.twofold.webhook.audit;
