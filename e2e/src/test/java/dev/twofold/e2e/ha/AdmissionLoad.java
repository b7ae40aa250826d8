package dev.twofold.e2e.ha;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * Steady admission traffic through the API server: server-side dry-run creates of ConfigMaps at a fixed rate, each on
 * its own virtual thread so a slow answer never delays the next request. Every outcome is kept with its timing; the
 * JDK client is used because it does not retry (a failed admission shows as what it is).
 */
final class AdmissionLoad implements AutoCloseable {

    /** One request: when it was sent, when its answer came, the HTTP status (0: no answer) and the error text. */
    record Outcome(long sequence, Instant sent, Instant answered, int status, String error) {
        boolean failed() {
            return status != 201;
        }

        boolean inFlightAt(Instant moment) {
            return !sent.isAfter(moment) && answered.isAfter(moment);
        }

        @Override
        public String toString() {
            return "#" + sequence + " sent " + sent + " took " + Duration.between(sent, answered).toMillis() + " ms: HTTP "
                    + status + " " + error;
        }
    }

    private final HttpClient http;
    private final URI uri;
    private final String token;
    private final String namespace;
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();

    private AdmissionLoad(SSLContext apiServerTls, String apiServerUrl, String token, String namespace) {
        this.http = HttpClient.newBuilder().sslContext(apiServerTls).connectTimeout(Duration.ofSeconds(5)).build();
        this.uri = URI.create(apiServerUrl + "/api/v1/namespaces/" + namespace + "/configmaps?dryRun=All");
        this.token = token;
        this.namespace = namespace;
    }

    /** Starts sending {@code perSecond} requests a second as the bearer of {@code token}. */
    static AdmissionLoad start(SSLContext apiServerTls, String apiServerUrl, String token, String namespace,
                               int perSecond) {
        AdmissionLoad load = new AdmissionLoad(apiServerTls, apiServerUrl, token, namespace);
        load.pacer.scheduleAtFixedRate(() -> load.senders.execute(load::sendOne), 0, 1_000_000 / perSecond,
                TimeUnit.MICROSECONDS);
        return load;
    }

    /** One request, answered or not; never throws. */
    Outcome sendOne() {
        long n = sequence.incrementAndGet();
        String body = """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"load-%d","namespace":"%s"},"data":{"n":"%d"}}
                """.formatted(n, namespace, n);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        Instant sent = Instant.now();
        Outcome outcome;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            outcome = new Outcome(n, sent, Instant.now(), response.statusCode(),
                    response.statusCode() == 201 ? "" : response.body().strip());
        } catch (IOException e) {
            outcome = new Outcome(n, sent, Instant.now(), 0, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = new Outcome(n, sent, Instant.now(), 0, "interrupted");
        }
        outcomes.add(outcome);
        return outcome;
    }

    /** What has been answered so far, in the order requests were sent. */
    List<Outcome> outcomes() {
        List<Outcome> all = new ArrayList<>(outcomes);
        all.sort(java.util.Comparator.comparingLong(Outcome::sequence));
        return all;
    }

    List<Outcome> failures(Predicate<Outcome> which) {
        return outcomes().stream().filter(Outcome::failed).filter(which).toList();
    }

    /** Stops sending and waits (up to 35 s) for the answers of requests still in flight. */
    @Override
    public void close() {
        pacer.shutdownNow();
        senders.shutdown();
        try {
            senders.awaitTermination(35, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
    }
}
