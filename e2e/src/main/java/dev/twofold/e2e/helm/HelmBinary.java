package dev.twofold.e2e.helm;

import dev.twofold.e2e.process.ProcessFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * helm, built from the Go module proxy by {@code e2e/bin/build-helm.sh} into {@code ~/.cache/twofold/helm/<version>/}.
 * The script rebuilds it only when missing or when it fails its checksum, so calling {@link #ensure} every time is
 * cheap once warm.
 */
public record HelmBinary(Path helm) {
    public static final String HELM_VERSION = "3.22.0";

    public static Path defaultDir() {
        String cache = System.getenv().getOrDefault("TWOFOLD_CACHE", System.getProperty("user.home") + "/.cache/twofold");
        return Path.of(cache, "helm", HELM_VERSION);
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
