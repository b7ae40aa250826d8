package dev.twofold.operator.workload.signer;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A de-duplicating, delaying work queue with a few worker threads, like client-go's workqueue: a key queued twice runs
 * once, a key is never handled by two workers at once (queued while it runs, it runs again afterwards), {@link #retry}
 * counts attempts and backs off exponentially (0.5 s doubling to 30 s), {@link #forget} resets the count once a key is
 * settled. Several workers because each request costs API round trips (approve, then sign): one worker kept the
 * CSR signer near 50 requests/s.
 */
final class WorkQueue implements AutoCloseable {

    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final ScheduledExecutorService worker;
    private final Consumer<String> handler;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    /** Keys a worker is handling now, and those queued again meanwhile (run once it is done). */
    private final Set<String> processing = ConcurrentHashMap.newKeySet();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    static final int DEFAULT_WORKERS = 4;

    WorkQueue(String name, Consumer<String> handler) {
        this(name, DEFAULT_WORKERS, handler);
    }

    WorkQueue(String name, int workers, Consumer<String> handler) {
        this.handler = handler;
        AtomicInteger number = new AtomicInteger();
        this.worker = Executors.newScheduledThreadPool(workers, r -> {
            Thread thread = new Thread(r, name + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code key} after {@code delay} unless it is already queued. */
    void add(String key, Duration delay) {
        if (queued.add(key)) {
            worker.schedule(() -> run(key), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void run(String key) {
        synchronized (processing) {
            queued.remove(key);
            if (!processing.add(key)) {
                dirty.add(key); // another worker has it: once more after that one
                return;
            }
        }
        try {
            handler.accept(key);
        } finally {
            boolean again;
            synchronized (processing) {
                processing.remove(key);
                again = dirty.remove(key);
            }
            if (again) {
                add(key, Duration.ZERO);
            }
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
