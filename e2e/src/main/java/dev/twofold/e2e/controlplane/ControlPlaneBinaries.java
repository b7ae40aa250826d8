package dev.twofold.e2e.controlplane;

import dev.twofold.e2e.process.ProcessFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * kube-apiserver, kubectl and etcd, built from the Go module proxy by {@code e2e/bin/build-control-plane.sh} into
 * {@code ~/.cache/twofold/k8s/<version>-linux-amd64/} (the layout fabric8 kube-api-test reads). The script rebuilds
 * only what is missing or fails its checksum, so calling {@link #ensure} every time is cheap once warm.
 */
public record ControlPlaneBinaries(Path dir) {
    public static final String KUBERNETES_VERSION = "1.35.4";

    public Path kubeApiserver() { return dir.resolve("kube-apiserver"); }
    public Path kubectl() { return dir.resolve("kubectl"); }
    public Path etcd() { return dir.resolve("etcd"); }

    public static Path defaultDir() {
        String cache = System.getenv().getOrDefault("TWOFOLD_CACHE", System.getProperty("user.home") + "/.cache/twofold");
        return Path.of(cache, "k8s", KUBERNETES_VERSION + "-linux-amd64");
    }

    /** Builds what is missing or corrupt (progress goes to this process's stderr) and returns the binaries. */
    public static ControlPlaneBinaries ensure(Path projectRoot) {
        Path script = projectRoot.resolve("e2e/bin/build-control-plane.sh");
        if (!Files.isExecutable(script)) {
            throw new ProcessFailure("build script not found at " + script + " (is twofold.home the project root?)");
        }
        Path dir = defaultDir();
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).inheritIO()
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("K8S_VERSION", KUBERNETES_VERSION);
        builder.environment().put("TWOFOLD_K8S_DIR", dir.toString());
        try {
            int exit = builder.start().waitFor();
            if (exit != 0) throw new ProcessFailure("building the control plane failed (exit " + exit + "); see the lines above");
        } catch (IOException e) {
            throw new ProcessFailure("could not run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessFailure("interrupted while building the control plane", e);
        }
        return new ControlPlaneBinaries(dir);
    }
}
