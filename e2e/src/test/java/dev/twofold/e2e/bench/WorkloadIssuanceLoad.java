package dev.twofold.e2e.bench;

import dev.twofold.e2e.controlplane.ControlPlane;
import dev.twofold.e2e.env.LocalEnvironment;
import dev.twofold.e2e.env.TwofoldComponents;
import dev.twofold.e2e.fixtures.ClusterFixtures;
import dev.twofold.e2e.pki.Pki;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Load test of workload issuance through the real API server (not a JUnit test): starts its own control plane and
 * Twofold, then, for PodCertificateRequests (as the kubelet of one node) and CertificateSigningRequests (as pods with
 * pod-bound tokens), creates requests open loop at rising rates and measures, per request, the time from when it was
 * due to when a watch sees it Issued/signed — what a kubelet or workload waits. Prints p50/p99/max, failures, and the
 * operator's RSS (peak during each stage). Usage: {@code WorkloadIssuanceLoad [seconds per stage] [rates...]}.
 */
public final class WorkloadIssuanceLoad {

    private static final ResourceDefinitionContext PCR = new ResourceDefinitionContext.Builder()
            .withGroup("certificates.k8s.io").withVersion("v1beta1").withKind("PodCertificateRequest")
            .withPlural("podcertificaterequests").withNamespaced(true).build();
    private static final String NS = "load";
    private static final String NODE = "load-node";
    private static final int PODS = 20;

    private record Stage(String path, int rate, int sent, int done, int failed, double seconds, long p50, long p99,
            long max, long rssKib) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int[] rates = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {25, 50, 75};
        Path root = Path.of(System.getProperty("twofold.home", ".")).toAbsolutePath().normalize();
        Path state = root.resolve("e2e/target/bench-workload");
        if (Files.exists(state)) {
            try (var walk = Files.walk(state)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        try (LocalEnvironment env = LocalEnvironment.start(new LocalEnvironment.Spec(root, state,
                LocalEnvironment.PortPlan.free(), Optional.of(TwofoldComponents.PortPlan.free())));
             KubernetesClient admin = env.controlPlane().adminClient()) {
            List<Pod> pods = setUp(admin);
            long operatorPid = env.twofold().orElseThrow().operator().pid();
            List<Stage> stages = new ArrayList<>();
            try (KubernetesClient kubelet = ControlPlane.client(env.controlPlane().certificateKubeconfig(
                    "system:node:" + NODE, List.of("system:nodes")))) {
                for (int rate : rates) {
                    stages.add(pcrStage(admin, kubelet, pods, rate, seconds, operatorPid));
                }
            }
            List<KubernetesClient> workloads = new ArrayList<>();
            ClusterFixtures fixtures = new ClusterFixtures(admin);
            for (Pod pod : pods) {
                workloads.add(ControlPlane.client(env.controlPlane().kubeconfig("load-" + pod.getMetadata().getName(),
                        new dev.twofold.e2e.controlplane.Kubeconfig.Credentials.BearerToken(fixtures.podBoundToken(pod,
                                "https://kubernetes.default.svc.cluster.local", 3600)))));
            }
            for (int rate : rates) {
                stages.add(csrStage(admin, workloads, rate, seconds, operatorPid));
            }
            workloads.forEach(KubernetesClient::close);
            System.out.printf("%n%d s per stage, %d pods on one node, ECDSA P-256 keys; latency = due -> seen issued%n",
                    seconds, PODS);
            System.out.println("path  target_rps  issued  failed  issued_per_s  p50_ms  p99_ms  max_ms  operator_rss_mib");
            for (Stage s : stages) {
                System.out.printf("%-4s  %10d  %6d  %6d  %12.1f  %6d  %6d  %6d  %16d%n", s.path(), s.rate(), s.done(),
                        s.failed(), s.done() / s.seconds(), s.p50(), s.p99(), s.max(), s.rssKib() / 1024);
            }
        }
    }

    private static List<Pod> setUp(KubernetesClient admin) {
        ClusterFixtures fixtures = new ClusterFixtures(admin);
        fixtures.namespace(NS);
        fixtures.readyNode(NODE, Map.of("pool", "load"));
        fixtures.serviceAccount(NS, "app");
        admin.load(new ByteArrayInputStream("""
                apiVersion: twofold.dev/v1alpha1
                kind: TrustDomain
                metadata: {name: load}
                spec:
                  trustDomain: load.test
                  trustedNodeSelector: {matchLabels: {pool: load}}
                ---
                apiVersion: twofold.dev/v1alpha1
                kind: WorkloadCertificatePolicy
                metadata: {name: app, namespace: load}
                spec:
                  trustDomain: load
                  podSelector: {matchLabels: {app: app}}
                  keyTypes: [ECDSAP256]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: load-csr-requester}
                rules: [{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create]}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: load-csr-requester}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: load-csr-requester}
                subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:serviceaccounts:load"}]
                """.getBytes(StandardCharsets.UTF_8))).forceConflicts().serverSideApply();
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < PODS; i++) {
            pods.add(fixtures.pod(NS, "app-" + i, "app", NODE, Map.of("app", "app"), true));
        }
        // The first issuance waits for the TrustDomain's CA: one request, outside the measurement.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (admin.configMaps().inNamespace(NS).withName("twofold-trust-bundle").get() == null) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("no trust bundle after 60 s");
            sleep(200);
        }
        return pods;
    }

    private static Stage pcrStage(KubernetesClient admin, KubernetesClient kubelet, List<Pod> pods, int rate,
            int seconds, long operatorPid) throws Exception {
        String sa = admin.serviceAccounts().inNamespace(NS).withName("app").get().getMetadata().getUid();
        String node = admin.nodes().withName(NODE).get().getMetadata().getUid();
        Tracker tracker = new Tracker();
        try (var watch = admin.genericKubernetesResources(PCR).inNamespace(NS).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource r) {
                Object conditions = r.get("status", "conditions");
                if (conditions instanceof List<?> list && !list.isEmpty()) {
                    Object type = ((Map<?, ?>) list.get(0)).get("type");
                    tracker.finished(r.getMetadata().getName(), "Issued".equals(type));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            return run("pcr", rate, seconds, operatorPid, tracker, i -> {
                Pod pod = pods.get(i % pods.size());
                KeyPair key = Pki.newKeyPair();
                Signature signer = Signature.getInstance("SHA256withECDSA");
                signer.initSign(key.getPrivate());
                signer.update(pod.getMetadata().getUid().getBytes(StandardCharsets.UTF_8));
                GenericKubernetesResource request = new GenericKubernetesResourceBuilder()
                        .withApiVersion("certificates.k8s.io/v1beta1").withKind("PodCertificateRequest")
                        .withNewMetadata().withName("load-" + rate + "-" + i).withNamespace(NS).endMetadata()
                        .addToAdditionalProperties("spec", Map.of("signerName", "twofold.dev/workload",
                                "podName", pod.getMetadata().getName(), "podUID", pod.getMetadata().getUid(),
                                "serviceAccountName", "app", "serviceAccountUID", sa, "nodeName", NODE,
                                "nodeUID", node, "maxExpirationSeconds", 86400,
                                "pkixPublicKey", Base64.getEncoder().encodeToString(key.getPublic().getEncoded()),
                                "proofOfPossession", Base64.getEncoder().encodeToString(signer.sign())))
                        .build();
                kubelet.genericKubernetesResources(PCR).inNamespace(NS).resource(request).create();
                return request.getMetadata().getName();
            });
        }
    }

    private static Stage csrStage(KubernetesClient admin, List<KubernetesClient> workloads, int rate, int seconds,
            long operatorPid) throws Exception {
        Tracker tracker = new Tracker();
        try (var watch = admin.certificates().v1().certificateSigningRequests().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, CertificateSigningRequest r) {
                if (r.getStatus() == null) return;
                if (r.getStatus().getCertificate() != null && !r.getStatus().getCertificate().isEmpty()) {
                    tracker.finished(r.getMetadata().getName(), true);
                } else if (r.getStatus().getConditions() != null && r.getStatus().getConditions().stream()
                        .anyMatch(c -> "Denied".equals(c.getType()) || "Failed".equals(c.getType()))) {
                    tracker.finished(r.getMetadata().getName(), false);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            return run("csr", rate, seconds, operatorPid, tracker, i -> {
                KeyPair key = Pki.newKeyPair();
                byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Principal(""), key.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
                String pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                        + "\n-----END CERTIFICATE REQUEST-----\n";
                String name = "load-" + rate + "-" + i;
                workloads.get(i % workloads.size()).certificates().v1().certificateSigningRequests()
                        .resource(new CertificateSigningRequestBuilder().withNewMetadata().withName(name).endMetadata()
                                .withNewSpec().withSignerName("twofold.dev/workload")
                                .withRequest(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)))
                                .withUsages("digital signature", "client auth", "server auth").endSpec().build())
                        .create();
                return name;
            });
        }
    }

    @FunctionalInterface
    private interface Request {
        String create(int index) throws Exception;
    }

    /** Due times by request name, and the latencies of those seen finished. */
    private static final class Tracker {
        final Map<String, Long> due = new ConcurrentHashMap<>();
        final Map<String, Long> latencyNanos = new ConcurrentHashMap<>();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicLong lastFinished = new AtomicLong();

        void finished(String name, boolean issued) {
            Long started = due.get(name);
            if (started == null || latencyNanos.containsKey(name)) return;
            lastFinished.accumulateAndGet(System.nanoTime(), Math::max);
            if (issued) {
                latencyNanos.putIfAbsent(name, System.nanoTime() - started);
            } else if (latencyNanos.putIfAbsent(name, -1L) == null) {
                failed.incrementAndGet();
            }
        }
    }

    private static Stage run(String path, int rate, int seconds, long operatorPid, Tracker tracker, Request request)
            throws InterruptedException {
        int total = rate * seconds;
        AtomicInteger createErrors = new AtomicInteger();
        AtomicLong peakRss = new AtomicLong();
        long start = System.nanoTime();
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        Thread rss = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakRss.accumulateAndGet(rssKib(operatorPid), Math::max);
                if (!sleep(500)) return;
            }
        });
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < total; i++) {
                long dueAt = start + i * intervalNanos;
                long wait = dueAt - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                int index = i;
                senders.submit(() -> {
                    try {
                        String name = "load-" + rate + "-" + index;
                        tracker.due.put(name, dueAt);
                        request.create(index);
                    } catch (Exception e) {
                        if (createErrors.incrementAndGet() <= 3) System.err.println(path + " create failed: " + e);
                    }
                    return null;
                });
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (tracker.latencyNanos.size() + createErrors.get() < total && System.nanoTime() < deadline) {
            sleep(100);
        }
        // Throughput over the stage: from the first request's due time to the last completion seen.
        double elapsed = (Math.max(tracker.lastFinished.get(), start + 1) - start) / 1e9;
        rss.interrupt();
        long[] sorted = tracker.latencyNanos.values().stream().mapToLong(Long::longValue).filter(l -> l >= 0)
                .sorted().toArray();
        Function<Double, Long> percentile = q -> sorted.length == 0 ? -1
                : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1_000_000;
        int failed = tracker.failed.get() + createErrors.get() + (total - tracker.latencyNanos.size() - createErrors.get());
        System.out.printf("%s at %d/s: %d issued, %d failed or unfinished, p50 %d ms, p99 %d ms, max %d ms%n", path, rate,
                sorted.length, failed, percentile.apply(0.5), percentile.apply(0.99),
                sorted.length == 0 ? -1 : sorted[sorted.length - 1] / 1_000_000);
        return new Stage(path, rate, total, sorted.length, failed, elapsed, percentile.apply(0.5),
                percentile.apply(0.99), sorted.length == 0 ? -1 : sorted[sorted.length - 1] / 1_000_000,
                peakRss.get());
    }

    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (Exception e) {
            // the process ended
        }
        return 0;
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
