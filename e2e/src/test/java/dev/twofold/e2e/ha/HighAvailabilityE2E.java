package dev.twofold.e2e.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twofold.api.v1alpha1.MfaPolicy;
import dev.twofold.e2e.env.TwofoldComponents;
import dev.twofold.e2e.env.TwofoldComponents.OperatorReplica;
import dev.twofold.e2e.keycloak.DemoUser;
import dev.twofold.e2e.lb.StreamLoadBalancer;
import dev.twofold.e2e.pki.TlsContexts;
import dev.twofold.e2e.process.ManagedProcess;
import dev.twofold.e2e.process.Ports;
import dev.twofold.e2e.support.RealCluster;
import dev.twofold.e2e.support.TestCluster;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * High availability on the real API server. Webhook: two {@code twofold webhook} replicas behind nginx (TCP, TLS passed
 * through), reached by the API server through a ValidatingWebhookConfiguration of this test's own (so the shared
 * environment's {@code twofold-mfa} and webhook are left alone); a steady stream of admissions (alice, judged by an
 * MfaPolicy) must survive a graceful stop of the busiest replica without a single failure, and a crash of the busiest
 * with no failure on new connections: only the connections the dead replica held may each lose the request they carried
 * (the API server does not retry a webhook POST that meets EOF), and every such loss is printed. Operator: a second
 * operator stands by for the Lease; when the leader is killed it takes over within the lease duration and reconciles a
 * policy created in the meantime; when a leader is stopped gracefully it releases the Lease and its standby takes over
 * within one retry period.
 */
@ExtendWith(RealCluster.class)
class HighAvailabilityE2E {
    private static final String NAMESPACE = "ha";
    private static final String CONFIGURATION = "twofold-ha";
    private static final String POLICY = "ha-configmaps";
    private static final int RATE = 25;
    /** JOSDK's defaults, which the operator keeps: lease duration 15 s, retry period 2 s. */
    private static final Duration LEASE_DURATION = Duration.ofSeconds(15);
    private static final Duration RETRY_PERIOD = Duration.ofSeconds(2);
    /** A standby tries for the Lease every retry period plus up to 1.2 times as much jitter (fabric8's elector). */
    private static final Duration STANDBY_POLL = RETRY_PERIOD.multipliedBy(22).dividedBy(10);
    private static final String LEASE = "twofold-operator";

    @Test
    void admissions_survive_a_drained_replica_without_a_failure_and_a_killed_one_losing_at_most_one_per_cut_connection(
            TestCluster cluster) {
        KubernetesClient admin = cluster.admin();
        applyUserRbac(cluster);
        cluster.fixtures().namespace(NAMESPACE);
        cluster.applyPolicy("""
                apiVersion: twofold.dev/v1alpha1
                kind: MfaPolicy
                metadata:
                  name: %s
                spec:
                  match:
                    rules:
                    - apiGroups: [""]
                      resources: ["configmaps"]
                      verbs: ["create"]
                    namespaceSelector:
                      matchLabels:
                        kubernetes.io/metadata.name: %s
                  require:
                    amr:
                      anyOf: [["otp"]]
                """.formatted(POLICY, NAMESPACE));
        TwofoldComponents twofold = cluster.twofold();
        Path dir = cluster.twofold().operator().logFile().getParent().resolve("ha");
        Replica a = new Replica("twofold-webhook-ha-a", Ports.free(), Ports.free());
        Replica b = new Replica("twofold-webhook-ha-b", Ports.free(), Ports.free());
        List<AutoCloseable> started = new ArrayList<>();
        AdmissionLoad load = null;
        try {
            CompletableFuture<ManagedProcess> startingA = CompletableFuture.supplyAsync(() -> a.start(twofold));
            CompletableFuture<ManagedProcess> startingB = CompletableFuture.supplyAsync(() -> b.start(twofold));
            started.add(() -> startingA.thenAccept(ManagedProcess::close).join());
            started.add(() -> startingB.thenAccept(ManagedProcess::close).join());
            CompletableFuture.allOf(startingA, startingB).join();
            StreamLoadBalancer balancer = StreamLoadBalancer.start("nginx-ha", dir, List.of(a.port(), b.port()));
            started.add(balancer);
            admin.resource(configuration(admin, balancer.port())).serverSideApply();

            var apiServerTls = TlsContexts.trusting(cluster.controlPlane().pki().serverCa().certificatePem(),
                    Optional.empty());
            String token = cluster.oidc().directGrant(DemoUser.ALICE).idToken();
            // The API server picks the new configuration up from its informer: wait until admissions reach a replica.
            AdmissionLoad probe = AdmissionLoad.start(apiServerTls, cluster.controlPlane().url(), token, NAMESPACE, 5);
            try {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(a.admissions() + b.admissions()).isPositive());
            } finally {
                probe.close();
            }

            load = AdmissionLoad.start(apiServerTls, cluster.controlPlane().url(), token, NAMESPACE, RATE);
            Replica drained = busiest(a, b, Duration.ofSeconds(3));
            Replica other = drained == a ? b : a;
            long drainedServed = drained.admissions();
            Instant sigterm = Instant.now();
            drained.process().close(); // SIGTERM; returns when the process has exited
            Instant drainedExited = Instant.now();
            log("SIGTERM to %s (%d admissions served) at %s; exited after %d ms", drained.name(), drainedServed,
                    sigterm, Duration.between(sigterm, drainedExited).toMillis());
            awaitAnswered(load, Duration.ofSeconds(3));
            assertThat(load.failures(o -> true)).as("admissions that failed while %s drained", drained.name())
                    .isEmpty();

            drained.start(twofold);
            Replica killed = busiest(a, b, Duration.ofSeconds(3));
            long killedServed = killed.admissions();
            Instant kill = Instant.now();
            killed.process().kill();
            log("SIGKILL to %s (%d admissions served) at %s", killed.name(), killedServed, kill);
            Instant settled = kill.plus(Duration.ofSeconds(1));
            awaitAnswered(load, Duration.ofSeconds(4));
            load.close();

            List<AdmissionLoad.Outcome> all = load.outcomes();
            List<AdmissionLoad.Outcome> inFlight = all.stream().filter(o -> o.inFlightAt(kill)).toList();
            List<AdmissionLoad.Outcome> lost = load.failures(o -> o.sent().isBefore(settled));
            List<AdmissionLoad.Outcome> failedAfter = load.failures(o -> !o.sent().isBefore(settled));
            log("admissions sent %d, answered 201 %d, failed %d; in flight at the kill %d, lost in the kill window %d%s",
                    all.size(), all.stream().filter(o -> !o.failed()).count(), all.stream().filter(AdmissionLoad.Outcome::failed).count(),
                    inFlight.size(), lost.size(), lost.stream().map(o -> "\n  lost " + o).collect(Collectors.joining()));
            // Each connection the killed replica held can lose the one request it carried or was handed before the
            // API server saw it close; a new connection goes to the survivor.
            int connectionsCut = (int) balancer.sessions().stream()
                    .filter(s -> s.reached(killed.port()) && !s.ended().isBefore(kill)).count();
            log("replicas served: %s %d (killed, %d connections cut), %s %d; nginx sessions %d", killed.name(),
                    killedServed, connectionsCut, other(a, b, killed).name(), other(a, b, killed).admissions(),
                    balancer.sessions().size());
            assertThat(failedAfter).as("admissions sent more than 1 s after %s was killed that failed", killed.name())
                    .isEmpty();
            assertThat(lost.size()).as("admissions lost around the kill: %s", lost)
                    .isLessThanOrEqualTo(connectionsCut);
            assertThat(all.size()).as("admissions sent").isGreaterThan(RATE * 5);
        } finally {
            if (load != null) load.close();
            admin.admissionRegistration().v1().validatingWebhookConfigurations().withName(CONFIGURATION).delete();
            cluster.deletePolicy(POLICY);
            closeAll(started, a, b);
        }
    }

    @Test
    void a_standby_operator_takes_over_a_killed_leader_within_the_lease_duration_and_a_stopped_one_at_once(
            TestCluster cluster) {
        KubernetesClient admin = cluster.admin();
        TwofoldComponents twofold = cluster.twofold();
        String policy = "ha-takeover";
        await().atMost(LEASE_DURATION.plus(STANDBY_POLL).plusSeconds(5)).untilAsserted(() ->
                assertThat(holder(admin)).as("the shared operator leads").isEqualTo(twofold.operatorIdentity()));
        OperatorReplica standby = null;
        try {
            standby = twofold.startOperatorReplica("twofold-operator-ha");
            assertThat(holder(admin)).as("the leader is unchanged by a standby").isEqualTo(twofold.operatorIdentity());

            Instant kill = Instant.now();
            twofold.killOperator();
            admin.resources(MfaPolicy.class).load(new ByteArrayInputStream("""
                    apiVersion: twofold.dev/v1alpha1
                    kind: MfaPolicy
                    metadata:
                      name: %s
                    spec:
                      match:
                        rules:
                        - apiGroups: [""]
                          resources: ["podtemplates"]
                          verbs: ["create"]
                      require:
                        amr:
                          anyOf: [["otp"]]
                    """.formatted(policy).getBytes(StandardCharsets.UTF_8))).forceConflicts().serverSideApply();
            String standbyIdentity = standby.identity();
            await().atMost(LEASE_DURATION.plus(STANDBY_POLL).plusSeconds(5)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(holder(admin)).isEqualTo(standbyIdentity));
            Lease lease = lease(admin);
            Instant acquired = lease.getSpec().getAcquireTime().toInstant();
            log("leader %s killed at %s; %s acquired the Lease at %s (%d ms later; lease duration %d s)",
                    twofold.operatorIdentity(), kill, standbyIdentity, acquired,
                    Duration.between(kill, acquired).toMillis(), LEASE_DURATION.toSeconds());
            // The Lease runs out 15 s after the dead leader's last renewal (at most 15 s after the kill); the standby
            // notices at its next try; a second covers the API calls on a loaded machine.
            assertThat(Duration.between(kill, acquired)).isLessThanOrEqualTo(LEASE_DURATION.plus(STANDBY_POLL).plusSeconds(1));

            cluster.awaitPoliciesReady(policy);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin.admissionRegistration().v1()
                    .validatingWebhookConfigurations().withName("twofold-mfa").get().getWebhooks().getFirst()
                    .getRules()).anySatisfy(r -> assertThat(r.getResources()).contains("podtemplates")));
            log("policy %s reconciled by %s %d ms after the kill", policy, standbyIdentity,
                    Duration.between(kill, Instant.now()).toMillis());

            // A rolling update: the old leader comes back as a standby, the new one is stopped gracefully and hands
            // the Lease over instead of letting it run out.
            twofold.restartOperator();
            Instant sigterm = Instant.now();
            standby.close();
            Instant exited = Instant.now();
            // Released, the Lease is taken at the standby's next try; kept, it would run out only ~13-15 s later.
            await().atMost(STANDBY_POLL.plusSeconds(2)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(holder(admin)).isEqualTo(twofold.operatorIdentity()));
            log("SIGTERM to %s at %s; exited after %d ms; %s held the Lease %d ms after that exit", standbyIdentity,
                    sigterm, Duration.between(sigterm, exited).toMillis(), twofold.operatorIdentity(),
                    Duration.between(exited, lease(admin).getSpec().getAcquireTime().toInstant()).toMillis());
            standby = null;
        } finally {
            cluster.deletePolicy(policy);
            if (standby != null) standby.close();
            if (!twofold.operator().isAlive()) twofold.restartOperator();
            await().atMost(LEASE_DURATION.plus(STANDBY_POLL).plusSeconds(5)).untilAsserted(() ->
                    assertThat(holder(admin)).isEqualTo(twofold.operatorIdentity()));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin.admissionRegistration().v1()
                    .validatingWebhookConfigurations().withName("twofold-mfa").get().getWebhooks().getFirst()
                    .getRules()).noneSatisfy(r -> assertThat(r.getResources()).contains("podtemplates")));
        }
    }

    /** A webhook replica this test starts, serving the shared environment's TLS Secret. */
    private static final class Replica {
        private final String name;
        private final int port;
        private final int metricsPort;
        private volatile ManagedProcess process;

        Replica(String name, int port, int metricsPort) {
            this.name = name;
            this.port = port;
            this.metricsPort = metricsPort;
        }

        ManagedProcess start(TwofoldComponents twofold) {
            process = twofold.startWebhookReplica(name, port, metricsPort);
            return process;
        }

        String name() { return name; }
        int port() { return port; }
        ManagedProcess process() { return process; }

        /** Admission reviews this replica answered since it started (0 when it is not running). */
        long admissions() {
            try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
                String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
                return text.lines().filter(l -> l.startsWith("twofold_webhook_requests_total{")
                                && l.contains("endpoint=\"admission\""))
                        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            } catch (IOException e) {
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
    }

    /** The replica that answered more admissions during the next {@code window}: the one the traffic is pinned to. */
    private static Replica busiest(Replica a, Replica b, Duration window) {
        long a0 = a.admissions();
        long b0 = b.admissions();
        Instant end = Instant.now().plus(window);
        await().atMost(window.plusSeconds(5)).until(() -> Instant.now().isAfter(end));
        long da = a.admissions() - a0;
        long db = b.admissions() - b0;
        log("admissions in the last %d s: %s %d, %s %d", window.toSeconds(), a.name(), da, b.name(), db);
        assertThat(da + db).as("admissions reaching the replicas").isPositive();
        return da >= db ? a : b;
    }

    private static Replica other(Replica a, Replica b, Replica one) {
        return one == a ? b : a;
    }

    /** Lets the load run for {@code period} more. */
    private static void awaitAnswered(AdmissionLoad load, Duration period) {
        Instant end = Instant.now().plus(period);
        await().atMost(period.plusSeconds(5)).until(() -> Instant.now().isAfter(end));
    }

    private static ValidatingWebhookConfiguration configuration(KubernetesClient admin, int balancerPort) {
        String caBundle = admin.admissionRegistration().v1().validatingWebhookConfigurations().withName("twofold-mfa")
                .get().getWebhooks().getFirst().getClientConfig().getCaBundle();
        return new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata().withName(CONFIGURATION).endMetadata()
                .addNewWebhook()
                .withName("ha.twofold.dev")
                .withAdmissionReviewVersions("v1")
                .withSideEffects("None")
                .withFailurePolicy("Fail")
                .withMatchPolicy("Equivalent")
                .withTimeoutSeconds(10)
                .withNewClientConfig()
                .withUrl("https://127.0.0.1:" + balancerPort + "/admission/mfa")
                .withCaBundle(caBundle)
                .endClientConfig()
                .withNewNamespaceSelector().addToMatchLabels("kubernetes.io/metadata.name", NAMESPACE)
                .endNamespaceSelector()
                .addNewRule().withApiGroups("").withApiVersions("v1").withResources("configmaps")
                .withOperations("CREATE").endRule()
                .endWebhook()
                .build();
    }

    private static void applyUserRbac(TestCluster cluster) {
        Path rbac = TestCluster.projectRoot().resolve("e2e/samples/00-dev-users-rbac.yaml");
        try (InputStream in = Files.newInputStream(rbac)) {
            cluster.admin().load(in).forceConflicts().serverSideApply();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Lease lease(KubernetesClient admin) {
        return admin.resources(Lease.class).inNamespace(TwofoldComponents.NAMESPACE).withName(LEASE).get();
    }

    private static String holder(KubernetesClient admin) {
        Lease lease = lease(admin);
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static void closeAll(List<AutoCloseable> started, Replica... replicas) {
        for (AutoCloseable c : started.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                log("teardown: %s", e);
            }
        }
        for (Replica r : replicas) {
            if (r.process() != null) r.process().close();
        }
    }

    private static void log(String format, Object... args) {
        System.out.println("[ha] " + String.format(format, args));
    }
}
