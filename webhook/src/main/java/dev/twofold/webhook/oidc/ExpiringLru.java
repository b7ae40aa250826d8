package dev.twofold.webhook.oidc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A size-bounded map whose entries each expire at their own time: least recently used entries go first when full,
 * expired ones are dropped when read. Synchronized: lookups are a few hundred nanoseconds, far below a signature check.
 */
final class ExpiringLru<K, V> {

    private record Slot<V>(V value, long expiresAtMillis) {
    }

    private final int capacity;
    private final LinkedHashMap<K, Slot<V>> entries;

    ExpiringLru(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024) * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Slot<V>> eldest) {
                return size() > ExpiringLru.this.capacity;
            }
        };
    }

    /** The value, or {@code null} when absent or expired at {@code nowMillis}. */
    synchronized V get(K key, long nowMillis) {
        Slot<V> entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (nowMillis >= entry.expiresAtMillis()) {
            entries.remove(key);
            return null;
        }
        return entry.value();
    }

    synchronized void put(K key, V value, long expiresAtMillis) {
        entries.put(key, new Slot<>(value, expiresAtMillis));
    }

    synchronized void clear() {
        entries.clear();
    }

    synchronized int size() {
        return entries.size();
    }
}
