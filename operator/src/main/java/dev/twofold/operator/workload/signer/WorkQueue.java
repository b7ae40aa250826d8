package dev.twofold.operator.workload.signer;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A de-duplicating, delaying work queue with one worker thread, like client-go's workqueue: a key queued twice runs
 * once, {@link #retry} counts attempts and backs off exponentially (0.5 s doubling to 30 s), {@link #forget} resets
 * the count once a key is settled.
 */
final class WorkQueue implements AutoCloseable {

    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final ScheduledExecutorService worker;
    private final Consumer<String> handler;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    WorkQueue(String name, Consumer<String> handler) {
        this.handler = handler;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code key} after {@code delay} unless it is already queued. */
    void add(String key, Duration delay) {
        if (queued.add(key)) {
            worker.schedule(() -> {
                queued.remove(key);
                handler.accept(key);
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Counts a failed attempt at {@code key}, queues it again with back-off, and returns the attempt number. */
    int retry(String key) {
        int attempt = attempts.merge(key, 1, Integer::sum);
        add(key, Duration.ofMillis(Math.min(MAX_BACKOFF_MILLIS, 500L << Math.min(attempt - 1, 6))));
        return attempt;
    }

    /** How many attempts at {@code key} failed so far. */
    int attempts(String key) {
        return attempts.getOrDefault(key, 0);
    }

    void forget(String key) {
        attempts.remove(key);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
