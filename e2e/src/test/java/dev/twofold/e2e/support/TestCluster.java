package dev.twofold.e2e.support;

import dev.twofold.e2e.controlplane.ControlPlane;
import dev.twofold.e2e.controlplane.Kubeconfig;
import dev.twofold.e2e.env.LocalEnvironment;
import dev.twofold.e2e.keycloak.DemoUser;
import dev.twofold.e2e.keycloak.OidcLogin;
import dev.twofold.e2e.fixtures.ClusterFixtures;
import dev.twofold.e2e.process.ManagedProcess;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
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
                LocalEnvironment.PortPlan.free(), Optional.empty())));
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
