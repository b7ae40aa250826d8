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
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 * <p>By default the server runs in a child JVM started with {@link #RECOMMENDED_FLAGS} (or
 * {@code --server-jvm-flags "..."}), so the RSS, CPU and GC columns are the server's alone (read in the child from
 * {@code /proc/self/status} and the JVM); {@code --in-process} runs it in this JVM instead. Server and load generator
 * share the machine's cores: the CPU columns say how much of all cores the server took, and the load column how busy
 * the machine was with other work when the stage began (another build on the same 2 cores shows up directly in the
 * latencies). Audit lines go through the real JSON audit log to {@code target/bench-audit.log}.
 *
 * <p>Flags: {@code --rates 500,1000,2000,3000,4000 --seconds 10 --warmup-seconds 5 --connections 32 --in-process
 * --server-jvm-flags "-XX:+UseSerialGC -Xmx64m"}; or {@code --external-port P --external-pid PID --ca-file ca.crt} to
 * drive a webhook started elsewhere (it must hold the sample policies for the decisions to be checked). Exits
 * non-zero when any request failed or was decided wrongly.
 */
public final class AdmissionLoad {

    private static final int DISTINCT_BODIES = 1024;
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /**
     * The server JVM flags this load test recommends (and measures by default), with {@code MALLOC_ARENA_MAX=2} in the
     * environment. C1 only: the webhook needs ~0.1-0.2 ms of CPU per review, so C2's extra speed buys little while its
     * compiler memory and code cache cost ~35 MiB of RSS.
     */
    static final List<String> RECOMMENDED_FLAGS = List.of("-XX:+UseSerialGC", "-Xms48m", "-Xmx48m", "-Xmn12m",
            "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=96m", "-Xss512k");

    private record Options(int[] rates, int seconds, int warmupSeconds, int connections, boolean inProcess,
            List<String> serverJvmFlags, External external, Path caFile) {
    }

    /** One request body and whether the webhook must allow it. */
    private record Sample(byte[] request, boolean allowed) {
    }

    private record Stage(int rate, int requests, long[] latencies, long[] service, long errors, long wrongDecisions,
            double seconds) {
    }

    private AdmissionLoad() {
    }

    public static void main(String[] args) throws Exception {
        // Only where the server runs: its audit lines go to target/bench-audit.log.
        boolean servesHere = List.of(args).contains("--serve") || List.of(args).contains("--in-process");
        if (servesHere && System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "bench-logback.xml");
        }
        Files.createDirectories(Path.of("target"));
        if (args.length > 0 && args[0].equals("--serve")) {
            serve(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        Options options = parse(args);
        TestCertificates.Issued certificate = TestCertificates.ec("twofold-webhook-bench", Duration.ofHours(1));
        Path certificateFile = Files.writeString(Path.of("target/bench-tls.crt"), certificate.certificatePem());
        Path keyFile = Files.writeString(Path.of("target/bench-tls.key"), certificate.pkcs8Pem());

        SSLContext trust = certificate.trustingContext();
        ServerUnderTest server;
        if (options.external() != null) {
            server = options.external();
            trust = TestCertificates.trusting((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(options.caFile()))));
        } else if (options.inProcess()) {
            server = new InProcess(certificateFile, keyFile);
        } else {
            server = new Forked(options.serverJvmFlags(), certificateFile, keyFile);
        }
        try {
            drive(options, server, trust);
        } finally {
            server.close();
        }
    }

    private static void drive(Options options, ServerUnderTest server, SSLContext trust) throws Exception {
        int port = server.port();
        Sample[] samples = samples(port);
        // Connections are opened once and kept across stages, as the API server keeps its connections to a webhook:
        // otherwise every stage would begin with a burst of TLS handshakes.
        Client[] clients = new Client[options.connections()];
        for (int c = 0; c < clients.length; c++) {
            clients[c] = new Client(trust, port);
        }
        System.out.printf("Twofold webhook load test: %d policies, %d keep-alive connections, JDK %s, %d cores%n",
                policies().size(), options.connections(), Runtime.version(), CORES);
        System.out.printf("server: %s%n", server.describe());
        System.out.printf("request mix: 50%% exec allowed, 10%% exec denied, 10%% configmap audit-warned, "
                + "10%% clusterrolebinding allowed, 10%% pod create (8 KiB, no policy), 10%% secret create%n");
        if (options.warmupSeconds() > 0) {
            Stage warmup = run(trust, port, samples, clients, 1000, options.warmupSeconds());
            System.out.printf("warm-up: %d requests at 1000/s, %d errors%n", warmup.requests(), warmup.errors());
        }
        System.out.printf("%8s %9s %8s %8s %8s %8s %6s %6s %8s %5s %6s %9s %6s%n", "target", "achieved", "p50 ms",
                "p99 ms", "max ms", "svc p99", "errors", "wrong", "RSS MiB", "GCs", "CPU %", "CPU us/req", "load");
        boolean failed = false;
        for (int rate : options.rates()) {
            Stats before = server.stats();
            String load = loadAverage();
            Stage stage = run(trust, port, samples, clients, rate, options.seconds());
            Stats after = server.stats();
            long cpu = after.cpuNanos() - before.cpuNanos();
            Arrays.sort(stage.latencies());
            Arrays.sort(stage.service());
            System.out.printf("%8d %9.0f %8.2f %8.2f %8.2f %8.2f %6d %6d %8d %5d %6.0f %9.0f %6s%n", rate,
                    stage.requests() / stage.seconds(), millis(percentile(stage.latencies(), 0.50)),
                    millis(percentile(stage.latencies(), 0.99)),
                    millis(stage.latencies()[stage.latencies().length - 1]),
                    millis(percentile(stage.service(), 0.99)), stage.errors(), stage.wrongDecisions(),
                    after.rssMiB(), after.gcs() - before.gcs(), 100.0 * cpu / (stage.seconds() * 1e9 * CORES),
                    cpu / 1000.0 / Math.max(1, stage.requests()), load);
            failed |= stage.errors() > 0 || stage.wrongDecisions() > 0;
        }
        for (Client client : clients) {
            if (client != null) {
                client.close();
            }
        }
        System.out.printf("load generator RSS: %d MiB%n", Stats.ofThisProcess().rssMiB());
        System.out.println(failed ? "FAILED: errors or wrong decisions" : "done");
        if (failed) {
            throw new IllegalStateException("the load test saw errors or wrong decisions");
        }
    }

    /** The child process of the forked mode: serves until its stdin closes, answers "stats" with {@link Stats}. */
    private static void serve(Path certificateFile, Path keyFile) throws Exception {
        WebhookServer server = startServer(certificateFile, keyFile);
        System.out.println("listening " + server.address().getPort());
        System.out.flush();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = commands.readLine()) != null) {
            if (command.equals("stats")) {
                Stats stats = Stats.ofThisProcess();
                System.out.println("stats " + stats.cpuNanos() + " " + stats.rssMiB() + " " + stats.gcs());
                System.out.flush();
            }
        }
        server.stop(Duration.ofSeconds(1)); // the parent went away: never outlive it
    }

    /** The real server with 10 policies, namespace labels, the JSON audit log and Prometheus metrics. */
    private static WebhookServer startServer(Path certificateFile, Path keyFile) throws Exception {
        ReloadingSslContext tls = new ReloadingSslContext();
        tls.install(ServingCertificate.fromPem(Files.readString(certificateFile), Files.readString(keyFile)));
        PolicySnapshot snapshot = new PolicySnapshot();
        PolicySet policies = SamplePolicies.set(policies());
        snapshot.replace(policies);
        Clock clock = Clock.systemUTC();
        LivePolicyEngine engine = new LivePolicyEngine(snapshot, new StaticNamespaces(Map.of(
                "demo", Map.of("kubernetes.io/metadata.name", "demo", "tier", "dev"),
                "prod", Map.of("kubernetes.io/metadata.name", "prod", "tier", "prod"))), clock);
        JsonCodec json = new JsonCodec();
        JsonAuditLog audit = JsonAuditLog.toLogger(json);
        WebhookMetrics metrics = new WebhookMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        metrics.policiesLoaded(snapshot::size);
        return WebhookServer.start(new InetSocketAddress("127.0.0.1", 0), tls.context(),
                List.of(new AdmissionEndpoint(engine, audit, clock, json).route(),
                        new AuthorizationEndpoint(engine, new ImpersonationGuard(Set.of()), audit, clock, json)
                                .route()), metrics, json);
    }

    /** CPU time, resident memory and GC count of the server's process. */
    private record Stats(long cpuNanos, long rssMiB, long gcs) {

        static Stats ofThisProcess() {
            long gcs = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                gcs += Math.max(0, gc.getCollectionCount());
            }
            long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            return new Stats(cpu, residentMiB(), gcs);
        }
    }

    /** The webhook under load: in this JVM, or in a child JVM with the server flags being evaluated. */
    private sealed interface ServerUnderTest extends AutoCloseable permits InProcess, Forked, External {

        int port();

        Stats stats() throws IOException;

        String describe();

        @Override
        void close() throws Exception;
    }

    private static final class InProcess implements ServerUnderTest {

        private final WebhookServer server;

        InProcess(Path certificateFile, Path keyFile) throws Exception {
            server = startServer(certificateFile, keyFile);
        }

        @Override
        public int port() {
            return server.address().getPort();
        }

        @Override
        public Stats stats() {
            return Stats.ofThisProcess();
        }

        @Override
        public String describe() {
            return "in the load generator's JVM (RSS and CPU include the load generator), max heap "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB";
        }

        @Override
        public void close() {
            server.stop(Duration.ofSeconds(1));
        }
    }

    /** A webhook started elsewhere (e.g. {@code ./twofold webhook}): its RSS and CPU come from /proc/PID. */
    private record External(int port, long pid) implements ServerUnderTest {

        @Override
        public Stats stats() throws IOException {
            // /proc/PID/stat: fields 14 and 15 (after the parenthesized name) are user and system time in ticks
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            long rss = -1;
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
            return new Stats(ticks * 10_000_000L, rss, 0); // USER_HZ is 100 on Linux
        }

        @Override
        public String describe() {
            return "external process " + pid + " on port " + port + " (GC count not available)";
        }

        @Override
        public void close() {
            // not ours to stop
        }
    }

    private static final class Forked implements ServerUnderTest {

        private final Process process;
        private final List<String> flags;
        private final BufferedReader out;
        private final int port;

        Forked(List<String> flags, Path certificateFile, Path keyFile) throws IOException {
            this.flags = flags;
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(flags);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), AdmissionLoad.class.getName(),
                    "--serve", certificateFile.toString(), keyFile.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            // glibc's per-thread malloc arenas otherwise hold tens of MiB the JVM does not use
            builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
            process = builder.start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("listening ")) {
                process.destroyForcibly();
                throw new IOException("the server process did not start: " + line);
            }
            port = Integer.parseInt(line.substring("listening ".length()));
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public Stats stats() throws IOException {
            process.getOutputStream().write("stats\n".getBytes(StandardCharsets.US_ASCII));
            process.getOutputStream().flush();
            String[] fields = out.readLine().split(" ");
            return new Stats(Long.parseLong(fields[1]), Long.parseLong(fields[2]), Long.parseLong(fields[3]));
        }

        @Override
        public String describe() {
            return "separate JVM (pid " + process.pid() + ") with " + String.join(" ", flags) + ", MALLOC_ARENA_MAX="
                    + System.getenv().getOrDefault("MALLOC_ARENA_MAX", "2");
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close(); // the child stops when its stdin closes
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** One stage: {@code rate * seconds} requests, open-loop, spread over the connections of {@code clients}. */
    private static Stage run(SSLContext trust, int port, Sample[] samples, Client[] clients, int rate, int seconds)
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
        for (int c = 0; c < clients.length; c++) {
            int connection = c;
            Thread thread = Thread.ofPlatform().name("load-" + c).start(() -> {
                Client client = clients[connection];
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
                            client = new Client(trust, port); // after an error
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
                clients[connection] = client;
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
        // Authenticated ten minutes ago by the real clock: the server under test decides with the real clock too.
        String authTime = String.valueOf(Instant.now().minusSeconds(600).getEpochSecond());
        String mfa = Reviews.MFA_EXTRA.replace("1767268200", authTime);
        String password = Reviews.PASSWORD_EXTRA.replace("1767268200", authTime);
        Sample[] samples = new Sample[DISTINCT_BODIES];
        String pad = "x".repeat(7 * 1024);
        for (int i = 0; i < samples.length; i++) {
            String uid = "b1e5c3a0-0000-4000-8000-" + String.format("%012d", i);
            int kind = i % 20;
            String body;
            boolean allowed = true;
            if (kind < 10) {
                body = Reviews.execConnect(uid, "alice", mfa);
            } else if (kind < 12) {
                body = Reviews.execConnect(uid, "bob", password);
                allowed = false;
            } else if (kind < 14) {
                body = Reviews.configMapUpdate(uid, "demo", "bob", password);
            } else if (kind < 16) {
                body = Reviews.clusterRoleBindingCreate(uid, "alice", mfa, false);
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
    static List<String> policies() {
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
        boolean inProcess = false;
        int externalPort = 0;
        long externalPid = 0;
        Path caFile = null;
        List<String> flags = RECOMMENDED_FLAGS;
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--in-process")) {
                inProcess = true;
                i--;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("flag " + args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--server-jvm-flags" -> flags = List.of(args[i + 1].strip().split("\\s+"));
                case "--external-port" -> externalPort = Integer.parseInt(args[i + 1]);
                case "--external-pid" -> externalPid = Long.parseLong(args[i + 1]);
                case "--ca-file" -> caFile = Path.of(args[i + 1]);
                case "--rates" -> rates = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--warmup-seconds" -> warmup = Integer.parseInt(args[i + 1]);
                case "--connections" -> connections = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        External external = externalPort == 0 ? null : new External(externalPort, externalPid);
        if (external != null && (externalPid == 0 || caFile == null)) {
            throw new IllegalArgumentException("--external-port needs --external-pid and --ca-file");
        }
        return new Options(rates, seconds, warmup, connections, inProcess, flags, external, caFile);
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** The machine's 1-minute load average: other processes on the same cores skew every latency. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** VmRSS of this process, from /proc/self/status. */
    private static long residentMiB() {
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
