package dev.twofold.webhook.bench;

import dev.twofold.api.policy.PolicySet;
import dev.twofold.webhook.admission.AdmissionEndpoint;
import dev.twofold.webhook.audit.JsonAuditLog;
import dev.twofold.webhook.authz.AuthorizationEndpoint;
import dev.twofold.webhook.authz.ImpersonationGuard;
import dev.twofold.webhook.policy.LivePolicyEngine;
import dev.twofold.webhook.policy.PolicySnapshot;
import dev.twofold.webhook.server.JsonCodec;
import dev.twofold.webhook.server.ReloadingSslContext;
import dev.twofold.webhook.server.ServingCertificate;
import dev.twofold.webhook.server.WebhookMetrics;
import dev.twofold.webhook.server.WebhookServer;
import dev.twofold.webhook.testing.Reviews;
import dev.twofold.webhook.testing.SamplePolicies;
import dev.twofold.webhook.testing.StaticNamespaces;
import dev.twofold.webhook.testing.TestCertificates;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Load test of the real webhook server (not a JUnit test): starts it on loopback with 10 MfaPolicies and drives
 * realistic AdmissionReview bodies over HTTPS keep-alive connections at rising rates, open-loop: request i is due at
 * {@code start + i / rate}, and its latency is measured from when it was due, so a server that falls behind shows it
 * (no coordinated omission). Prints p50/p99/max latency, achieved rate, errors and the process's RSS per stage.
 *
 * <p>Everything runs in this one JVM (server and client share the 2 cores), so the RSS and latencies are an upper
 * bound for the server alone. Audit lines go through the real JSON audit log to {@code target/bench-audit.log}.
 *
 * <p>Flags: {@code --rates 500,1000,2000,3000,4000 --seconds 10 --warmup-seconds 5 --connections 32}.
 */
public final class AdmissionLoadTest {

    private static final int DISTINCT_BODIES = 1024;

    private record Options(int[] rates, int seconds, int warmupSeconds, int connections) {
    }

    /** One request body and whether the webhook must allow it. */
    private record Sample(byte[] request, boolean allowed) {
    }

    private record Stage(int rate, int requests, long[] latencies, long[] service, long errors, long wrongDecisions,
            double seconds) {
    }

    private AdmissionLoadTest() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "bench-logback.xml");
        }
        Files.createDirectories(Path.of("target"));
        Options options = parse(args);

        ReloadingSslContext tls = new ReloadingSslContext();
        TestCertificates.Issued certificate = TestCertificates.ec("twofold-webhook-bench", Duration.ofHours(1));
        tls.install(ServingCertificate.fromPem(certificate.certificatePem(), certificate.pkcs8Pem()));
        PolicySnapshot snapshot = new PolicySnapshot();
        PolicySet policies = SamplePolicies.set(policies());
        snapshot.replace(policies);
        Clock clock = Clock.fixed(Reviews.NOW, java.time.ZoneOffset.UTC);
        LivePolicyEngine engine = new LivePolicyEngine(snapshot, new StaticNamespaces(Map.of(
                "demo", Map.of("kubernetes.io/metadata.name", "demo", "tier", "dev"),
                "prod", Map.of("kubernetes.io/metadata.name", "prod", "tier", "prod"))), clock);
        JsonCodec json = new JsonCodec();
        JsonAuditLog audit = JsonAuditLog.toLogger(json);
        WebhookMetrics metrics = new WebhookMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        metrics.policiesLoaded(snapshot::size);
        WebhookServer server = WebhookServer.start(new InetSocketAddress("127.0.0.1", 0), tls.context(),
                List.of(new AdmissionEndpoint(engine, audit, clock, json).route(),
                        new AuthorizationEndpoint(engine, new ImpersonationGuard(Set.of()), audit, clock, json)
                                .route()), metrics, json);
        int port = server.address().getPort();
        SSLContext trust = certificate.trustingContext();
        Sample[] samples = samples(port);

        System.out.printf("Twofold webhook load test: %d policies, %d connections, %s, JVM %s, max heap %d MiB%n",
                policies.size(), options.connections(), Runtime.version(), System.getProperty("java.vm.name"),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("request mix: 50%% exec allowed, 10%% exec denied, 10%% configmap audit-warned, "
                + "10%% clusterrolebinding allowed, 10%% pod create (8 KiB, no policy), 10%% secret create%n");
        if (options.warmupSeconds() > 0) {
            Stage warmup = run(trust, port, samples, options.connections(), 1000, options.warmupSeconds());
            System.out.printf("warm-up: %d requests at 1000/s, %d errors%n", warmup.requests(), warmup.errors());
        }
        System.out.printf("%8s %10s %9s %9s %9s %9s %7s %7s %9s %6s%n", "target", "achieved", "p50 ms", "p99 ms",
                "max ms", "svc p99", "errors", "wrong", "RSS MiB", "GCs");
        boolean failed = false;
        for (int rate : options.rates()) {
            long gcBefore = gcCount();
            Stage stage = run(trust, port, samples, options.connections(), rate, options.seconds());
            Arrays.sort(stage.latencies());
            Arrays.sort(stage.service());
            System.out.printf("%8d %10.0f %9.2f %9.2f %9.2f %9.2f %7d %7d %9d %6d%n", rate,
                    stage.requests() / stage.seconds(), millis(percentile(stage.latencies(), 0.50)),
                    millis(percentile(stage.latencies(), 0.99)), millis(stage.latencies()[stage.latencies().length - 1]),
                    millis(percentile(stage.service(), 0.99)), stage.errors(), stage.wrongDecisions(), rssMiB(),
                    gcCount() - gcBefore);
            failed |= stage.errors() > 0 || stage.wrongDecisions() > 0;
        }
        server.stop(Duration.ofSeconds(2));
        System.out.println(failed ? "FAILED: errors or wrong decisions" : "done");
        System.exit(failed ? 1 : 0);
    }

    /** One stage: {@code rate * seconds} requests, open-loop, spread over {@code connections} connections. */
    private static Stage run(SSLContext trust, int port, Sample[] samples, int connections, int rate, int seconds)
            throws InterruptedException {
        int total = rate * seconds;
        long period = 1_000_000_000L / rate;
        long[] latencies = new long[total];
        long[] service = new long[total];
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong wrong = new AtomicLong();
        AtomicLong finished = new AtomicLong();
        long start = System.nanoTime() + 50_000_000L; // give every connection time to be ready
        long deadline = start + Duration.ofSeconds(seconds + 20L).toNanos(); // the stage is bounded in time
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread thread = Thread.ofPlatform().name("load-" + c).start(() -> {
                Client client = null;
                while (true) {
                    long i = next.getAndIncrement();
                    if (i >= total || System.nanoTime() > deadline) {
                        break;
                    }
                    long due = start + i * period;
                    long now;
                    while ((now = System.nanoTime()) < due) {
                        LockSupport.parkNanos(due - now);
                    }
                    Sample sample = samples[(int) (i % samples.length)];
                    try {
                        if (client == null) {
                            client = new Client(trust, port);
                        }
                        long sent = System.nanoTime();
                        String body = client.exchange(sample.request());
                        long done = System.nanoTime();
                        latencies[(int) i] = done - due;
                        service[(int) i] = done - sent;
                        if (!body.contains(sample.allowed() ? "\"allowed\":true" : "\"allowed\":false")) {
                            wrong.incrementAndGet();
                        }
                    } catch (IOException | RuntimeException e) {
                        errors.incrementAndGet();
                        latencies[(int) i] = System.nanoTime() - due;
                        if (client != null) {
                            client.close();
                            client = null;
                        }
                    }
                    finished.incrementAndGet();
                }
                if (client != null) {
                    client.close();
                }
            });
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        int done = (int) finished.get();
        return new Stage(rate, done, Arrays.copyOf(latencies, done), Arrays.copyOf(service, done),
                errors.get() + (total - done), wrong.get(), elapsed);
    }

    /** An HTTP/1.1 keep-alive connection over TLS, as the API server keeps to its webhooks. */
    private static final class Client {

        private final SSLSocket socket;
        private final OutputStream out;
        private final InputStream in;

        Client(SSLContext trust, int port) throws IOException {
            socket = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        }

        String exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String status = line();
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IOException("status " + status);
            }
            int length = -1;
            String header;
            while (!(header = line()).isEmpty()) {
                if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).strip());
                }
            }
            if (length < 0) {
                throw new IOException("no Content-Length");
            }
            return new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static Sample[] samples(int port) {
        Sample[] samples = new Sample[DISTINCT_BODIES];
        String pad = "x".repeat(7 * 1024);
        for (int i = 0; i < samples.length; i++) {
            String uid = "b1e5c3a0-0000-4000-8000-" + String.format("%012d", i);
            int kind = i % 20;
            String body;
            boolean allowed = true;
            if (kind < 10) {
                body = Reviews.execConnect(uid, "alice", Reviews.MFA_EXTRA);
            } else if (kind < 12) {
                body = Reviews.execConnect(uid, "bob", Reviews.PASSWORD_EXTRA);
                allowed = false;
            } else if (kind < 14) {
                body = Reviews.configMapUpdate(uid, "demo", "bob", Reviews.PASSWORD_EXTRA);
            } else if (kind < 16) {
                body = Reviews.clusterRoleBindingCreate(uid, "alice", Reviews.MFA_EXTRA, false);
            } else if (kind < 18) {
                body = Reviews.admissionReview("""
                        {"uid": "%s", "kind": {"group": "", "version": "v1", "kind": "Pod"},
                         "resource": {"group": "", "version": "v1", "resource": "pods"},
                         "name": "web-%d", "namespace": "prod", "operation": "CREATE",
                         "userInfo": %s,
                         "object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-%d",
                                    "annotations": {"note": "%s"}},
                                    "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}},
                         "oldObject": null, "dryRun": false}""".formatted(uid, i,
                        Reviews.userInfo("system:serviceaccount:prod:deployer", "[\"system:serviceaccounts\"]",
                                Reviews.NO_EXTRA), i, pad));
            } else {
                body = Reviews.secretCreate(uid, "alice", Reviews.NO_EXTRA);
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            byte[] head = ("POST /admission/mfa?timeout=10s HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "User-Agent: kube-apiserver-admission\r\nAccept: application/json, */*\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] request = Arrays.copyOf(head, head.length + bytes.length);
            System.arraycopy(bytes, 0, request, head.length, bytes.length);
            samples[i] = new Sample(request, allowed);
        }
        return samples;
    }

    /** The four samples and six more, as a cluster might have them. */
    private static List<String> policies() {
        List<String> all = new ArrayList<>(SamplePolicies.ALL);
        String template = """
                apiVersion: twofold.dev/v1alpha1
                kind: MfaPolicy
                metadata: {name: %s}
                spec:
                  match:
                    rules:
                    - apiGroups: ["%s"]
                      resources: [%s]
                      verbs: [%s]
                    subjects: {excludeGroups: ["system:masters-breakglass"]}
                  require:
                    amr: {anyOf: [["otp"], ["hwk"], ["mfa"]]}
                    maxAuthAge: 8h
                """;
        all.add(template.formatted("node-proxy-needs-mfa", "", "\"nodes/proxy\"", "\"*\""));
        all.add(template.formatted("ephemeral-containers-need-mfa", "", "\"pods/ephemeralcontainers\"",
                "\"update\", \"patch\""));
        all.add(template.formatted("sa-tokens-need-mfa", "", "\"serviceaccounts/token\"", "\"create\""));
        all.add(template.formatted("webhook-config-writes-need-mfa", "admissionregistration.k8s.io",
                "\"validatingwebhookconfigurations\", \"mutatingwebhookconfigurations\"",
                "\"create\", \"update\", \"patch\", \"delete\""));
        all.add(template.formatted("crd-writes-need-mfa", "apiextensions.k8s.io", "\"customresourcedefinitions\"",
                "\"create\", \"update\", \"patch\", \"delete\""));
        all.add("""
                apiVersion: twofold.dev/v1alpha1
                kind: MfaPolicy
                metadata: {name: prod-namespace-deletes-need-fresh-mfa}
                spec:
                  match:
                    rules: [{apiGroups: [""], resources: ["namespaces", "persistentvolumeclaims"], verbs: ["delete"]}]
                    namespaceSelector:
                      matchExpressions: [{key: tier, operator: In, values: [prod]}]
                  require:
                    amr: {anyOf: [["hwk"]]}
                    maxAuthAge: 15m
                """);
        return all;
    }

    private static Options parse(String[] args) {
        int[] rates = {500, 1000, 2000, 3000, 4000};
        int seconds = 10;
        int warmup = 5;
        int connections = 32;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rates" -> rates = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--warmup-seconds" -> warmup = Integer.parseInt(args[i + 1]);
                case "--connections" -> connections = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        return new Options(rates, seconds, warmup, connections);
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static long gcCount() {
        long count = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    /** VmRSS of this process, from /proc/self/status. */
    private static long rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return -1;
    }
}
