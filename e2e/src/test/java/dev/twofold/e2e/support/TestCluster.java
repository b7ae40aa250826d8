package dev.twofold.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twofold.api.v1alpha1.MfaPolicy;
import dev.twofold.e2e.controlplane.ControlPlane;
import dev.twofold.e2e.controlplane.Kubeconfig;
import dev.twofold.e2e.env.LocalEnvironment;
import dev.twofold.e2e.env.TwofoldComponents;
import dev.twofold.e2e.fixtures.ClusterFixtures;
import dev.twofold.e2e.keycloak.DemoUser;
import dev.twofold.e2e.keycloak.OidcLogin;
import dev.twofold.e2e.process.ManagedProcess;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The shared real cluster of one test run: what {@link RealCluster} hands to tests. */
public final class TestCluster implements AutoCloseable {
    private final LocalEnvironment environment;
    private final ControlPlane controlPlane;
    private final KubernetesClient admin;

    private TestCluster(LocalEnvironment environment) {
        this.environment = environment;
        this.controlPlane = environment.controlPlane();
        this.admin = controlPlane.adminClient();
    }

    static TestCluster start() {
        Path state = Path.of(System.getProperty("twofold.state.dir", "target/cluster")).toAbsolutePath();
        wipe(state);
        return new TestCluster(LocalEnvironment.start(new LocalEnvironment.Spec(projectRoot(), state,
                LocalEnvironment.PortPlan.free(), Optional.of(TwofoldComponents.PortPlan.free()), authenticationMode())));
    }

    /**
     * Which authenticator verifies people's tokens in this run: the API server itself (default) or Twofold's
     * TokenReview webhook ({@code -Dtwofold.authentication=webhook}); the same suites run against both.
     */
    public static LocalEnvironment.AuthenticationMode authenticationMode() {
        return "webhook".equals(System.getProperty("twofold.authentication"))
                ? LocalEnvironment.AuthenticationMode.TWOFOLD_WEBHOOK : LocalEnvironment.AuthenticationMode.STRUCTURED;
    }

    public static Path projectRoot() {
        return Path.of(System.getProperty("twofold.home", "..")).toAbsolutePath().normalize();
    }

    public LocalEnvironment environment() { return environment; }
    public ControlPlane controlPlane() { return controlPlane; }
    public OidcLogin oidc() { return environment.oidcLogin(); }

    /** A client authenticating with {@code user}'s ID token from a direct grant (password, plus TOTP if enrolled). */
    public KubernetesClient clientFor(DemoUser user) {
        return clientWithToken(user.username(), oidc().directGrant(user).idToken());
    }

    public KubernetesClient clientWithToken(String name, String token) {
        return ControlPlane.client(kubeconfigWithToken(name, token));
    }

    public String kubeconfigWithToken(String name, String token) {
        return controlPlane.kubeconfig(name, new Kubeconfig.Credentials.BearerToken(token));
    }
    public KubernetesClient admin() { return admin; }
    public ClusterFixtures fixtures() { return new ClusterFixtures(admin); }

    public TwofoldComponents twofold() {
        return environment.twofold().orElseThrow(() -> new IllegalStateException("Twofold is not running in this cluster"));
    }

    /** kubectl authenticating with a bearer token (e.g. an ID token from {@link #oidc()}). */
    public Kubectl kubectlWithToken(String token) {
        return Kubectl.withKubeconfig(kubeconfigWithToken("user", token));
    }

    /** Applies every file of {@code e2e/samples/}, as {@code ./twofold dev up} does. */
    public void applySamples() {
        try (Stream<Path> files = Files.list(projectRoot().resolve("e2e/samples"))) {
            for (Path sample : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (var in = Files.newInputStream(sample)) {
                    admin.load(in).forceConflicts().serverSideApply();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The samples, ready, and something to act on in namespace {@code demo}: Pod {@code web} on a Ready Node without a
     * kubelet (exec gets past admission, then fails to reach the node), and Secret {@code db-password}.
     */
    public void demoWorkload() {
        applySamples();
        ClusterFixtures fixtures = fixtures();
        fixtures.readyNode("demo-node", Map.of());
        fixtures.serviceAccount("demo", "web");
        if (admin.pods().inNamespace("demo").withName("web").get() == null) {
            fixtures.pod("demo", "web", "web", "demo-node", Map.of("app", "web"), true);
        }
        admin.secrets().inNamespace("demo").resource(new SecretBuilder().withNewMetadata()
                .withName("db-password").withNamespace("demo").endMetadata()
                .addToStringData("password", "s3cret").build()).serverSideApply();
        awaitPoliciesReady("exec-needs-mfa", "secret-reads-need-mfa", "rbac-writes-need-mfa", "configmap-writes-audit");
    }

    /** Applies an MfaPolicy and waits until the operator has compiled it. */
    public void applyPolicy(String yaml) {
        var applied = admin.resources(MfaPolicy.class)
                .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .forceConflicts().serverSideApply();
        awaitPoliciesReady(applied.getMetadata().getName());
    }

    public void deletePolicy(String name) {
        admin.resources(MfaPolicy.class).withName(name).delete();
    }

    /** Waits until each named MfaPolicy is Ready for its current generation. */
    public void awaitPoliciesReady(String... names) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String name : names) {
                MfaPolicy policy = admin.resources(MfaPolicy.class).withName(name).get();
                assertThat(policy).as("MfaPolicy %s", name).isNotNull();
                assertThat(policy.getStatus()).as("status of %s", name).isNotNull();
                assertThat(policy.getStatus().observedGeneration())
                        .isEqualTo(policy.getMetadata().getGeneration());
                assertThat(policy.getStatus().conditions())
                        .anySatisfy(c -> {
                            assertThat(c.getType()).isEqualTo("Ready");
                            assertThat(c.getStatus()).isEqualTo("True");
                        });
            }
        });
    }

    /** A client authenticating with a client certificate for {@code user} in {@code groups} (close it). */
    public KubernetesClient clientFor(String user, List<String> groups) {
        return ControlPlane.client(controlPlane.certificateKubeconfig(user, groups));
    }

    /** A kubelet's client: {@code system:node:<name>} in {@code system:nodes}, as NodeRestriction expects. */
    public KubernetesClient nodeClient(String nodeName) {
        return clientFor("system:node:" + nodeName, List.of("system:nodes"));
    }

    String logTails(int lines) {
        StringBuilder out = new StringBuilder();
        for (ManagedProcess p : environment.processes()) {
            out.append("---- last ").append(lines).append(" lines of ").append(p.logFile()).append(" ----\n")
                    .append(p.logTail(lines)).append('\n');
        }
        return out.toString();
    }

    @Override
    public void close() {
        admin.close();
        environment.close();
    }

    private static void wipe(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not clear " + dir, e);
        }
    }
}
