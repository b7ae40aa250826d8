package dev.twofold.e2e.support;

import dev.twofold.e2e.controlplane.ControlPlane;
import dev.twofold.e2e.controlplane.ControlPlaneBinaries;
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
    private final ControlPlane controlPlane;
    private final KubernetesClient admin;

    private TestCluster(ControlPlane controlPlane) {
        this.controlPlane = controlPlane;
        this.admin = controlPlane.adminClient();
    }

    static TestCluster start() {
        Path root = Path.of(System.getProperty("twofold.home", "..")).toAbsolutePath().normalize();
        Path state = Path.of(System.getProperty("twofold.state.dir", "target/cluster")).toAbsolutePath();
        wipe(state);
        ControlPlaneBinaries binaries = ControlPlaneBinaries.ensure(root);
        ControlPlane plane = ControlPlane.start(ControlPlane.Spec.withFreePorts(state, binaries, Optional.empty()));
        return new TestCluster(plane);
    }

    public ControlPlane controlPlane() { return controlPlane; }
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
        for (ManagedProcess p : controlPlane.processes()) {
            out.append("---- last ").append(lines).append(" lines of ").append(p.logFile()).append(" ----\n")
                    .append(p.logTail(lines)).append('\n');
        }
        return out.toString();
    }

    @Override
    public void close() {
        admin.close();
        controlPlane.close();
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
