package dev.twofold.e2e.dev;

import java.nio.file.Path;

/**
 * Where the dev environment keeps its files: under {@code <project>/.twofold/dev/}, or {@code $TWOFOLD_DEV_DIR} (the
 * end-to-end tests run their own environment there, beside a developer's).
 */
public record DevLayout(Path projectRoot, Path root) {
    public static DevLayout of(Path projectRoot) {
        String override = System.getenv("TWOFOLD_DEV_DIR");
        Path root = override == null || override.isBlank() ? projectRoot.resolve(".twofold/dev") : Path.of(override);
        return new DevLayout(projectRoot, root.toAbsolutePath().normalize());
    }

    /** Component state: PKI, etcd data, Keycloak data, logs and pid files. */
    public Path state() { return root.resolve("state"); }
    public Path envFile() { return root.resolve("env.sh"); }
    public Path settingsFile() { return root.resolve("dev.properties"); }
    public Path kubeconfig(String user) { return root.resolve("kubeconfig").resolve(user + ".yaml"); }
    public Path tokenCache(String user) { return root.resolve("tokens").resolve(user + ".json"); }
    public Path launcher() { return projectRoot.resolve("twofold"); }
    public Path samples() { return projectRoot.resolve("e2e/samples"); }
}
