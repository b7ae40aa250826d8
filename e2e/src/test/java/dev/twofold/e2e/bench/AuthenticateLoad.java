package dev.twofold.e2e.bench;

import dev.twofold.e2e.keycloak.DemoUser;
import dev.twofold.e2e.keycloak.OidcLogin;
import dev.twofold.e2e.pki.TlsContexts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback load test of {@code /authenticate} (not a JUnit test): drives TokenReviews carrying real Keycloak ID
 * tokens at rising rates, open loop (latency counted from when each review was due), against the webhook of a running
 * {@code ./twofold dev up} environment with an OidcIssuer for its Keycloak. Prints p50/p99/max and errors per stage.
 * Usage: {@code java ... AuthenticateLoad <dev dir> [rates...]}.
 */
public final class AuthenticateLoad {
    private static final int SECONDS_PER_STAGE = 8;
    private static final int DISTINCT_TOKENS = 100;

    public static void main(String[] args) throws Exception {
        Path dev = Path.of(args.length > 0 ? args[0] : ".twofold/dev");
        int[] rates = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {500, 1000, 2000, 3000};
        var settings = new java.util.Properties();
        try (var in = Files.newBufferedReader(dev.resolve("dev.properties"))) {
            settings.load(in);
        }
        String env = Files.readString(dev.resolve("env.sh"));
        String webhook = env.lines().filter(l -> l.startsWith("export TWOFOLD_WEBHOOK_URL=")).findFirst().orElseThrow()
                .substring("export TWOFOLD_WEBHOOK_URL=".length()) + "/authenticate";
        var login = new OidcLogin(settings.getProperty("issuer"), TlsContexts.trusting(
                Files.readString(Path.of(settings.getProperty("idpCaFile"))), Optional.empty()), Clock.systemUTC());
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < DISTINCT_TOKENS; i++) {
            String token = login.directGrant(i % 2 == 0 ? DemoUser.ALICE : DemoUser.BOB).idToken();
            bodies.add("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"" + token + "\"}}");
        }
        var tls = TlsContexts.trusting(Files.readString(dev.resolve("state/pki-webhook/ca.crt")), Optional.empty());
        try (HttpClient http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build()) {
            System.out.printf("%d distinct tokens (alice, bob), %d s per stage, %s%n", DISTINCT_TOKENS, SECONDS_PER_STAGE, webhook);
            System.out.println("target_rps  achieved_rps  p50_ms  p99_ms  max_ms  errors");
            for (int rate : rates) stage(http, URI.create(webhook), bodies, rate);
        }
    }

    private static void stage(HttpClient http, URI uri, List<String> bodies, int rate) throws InterruptedException {
        int total = rate * SECONDS_PER_STAGE;
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        long start = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < total; i++) {
                long due = start + (long) i * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                String body = bodies.get(i % bodies.size());
                pool.submit(() -> {
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200 || !response.body().contains("\"authenticated\":true")) errors.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    latencies.add(System.nanoTime() - due);
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%10d  %12.0f  %6.2f  %6.2f  %6.1f  %6d%n", rate, total / seconds,
                sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length - 1] / 1e6,
                errors.get());
    }
}
