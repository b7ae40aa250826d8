package dev.twofold.e2e.helm;

import dev.twofold.e2e.controlplane.ControlPlaneBinaries;
import dev.twofold.e2e.process.ProcessFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * helm, built from the Go module proxy by {@code e2e/bin/build-helm.sh} into
 * {@code ~/.cache/twofold/helm/<version>-k8s<major.minor>/}, linked to assume the control plane's Kubernetes version
 * when it talks to no cluster ({@code helm template}, {@code helm lint}). The script rebuilds it only when missing, when
 * it fails its checksum or when its build recipe changed, so calling {@link #ensure} every time is cheap once warm.
 */
public record HelmBinary(Path helm) {
    public static final String HELM_VERSION = "3.22.0";
    /** The Kubernetes version helm assumes without a cluster: the control plane's, as MAJOR.MINOR. */
    public static final String KUBE_VERSION = majorMinor(ControlPlaneBinaries.KUBERNETES_VERSION);

    public static Path defaultDir() {
        String cache = System.getenv().getOrDefault("TWOFOLD_CACHE", System.getProperty("user.home") + "/.cache/twofold");
        return Path.of(cache, "helm", HELM_VERSION + "-k8s" + KUBE_VERSION);
    }

    static String majorMinor(String version) {
        String[] parts = version.replaceFirst("^v", "").split("\\.");
        if (parts.length < 2) throw new IllegalArgumentException("not a MAJOR.MINOR[.PATCH] version: " + version);
        return parts[0] + "." + parts[1];
    }

    /** Builds helm if missing or corrupt (progress goes to this process's stderr) and returns it. */
    public static HelmBinary ensure(Path projectRoot) {
        Path script = projectRoot.resolve("e2e/bin/build-helm.sh");
        if (!Files.isExecutable(script)) {
            throw new ProcessFailure("build script not found at " + script + " (is twofold.home the project root?)");
        }
        Path dir = defaultDir();
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).inheritIO()
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("HELM_VERSION", HELM_VERSION);
        builder.environment().put("HELM_KUBE_VERSION", KUBE_VERSION);
        builder.environment().put("TWOFOLD_HELM_DIR", dir.toString());
        try {
            int exit = builder.start().waitFor();
            if (exit != 0) throw new ProcessFailure("building helm failed (exit " + exit + "); see the lines above");
        } catch (IOException e) {
            throw new ProcessFailure("could not run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessFailure("interrupted while building helm", e);
        }
        return new HelmBinary(dir.resolve("helm"));
    }
}
