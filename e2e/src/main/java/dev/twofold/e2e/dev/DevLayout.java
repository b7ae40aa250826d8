package dev.twofold.e2e.dev;

import java.nio.file.Path;

/** Where the dev environment keeps its files, all under {@code <project>/.twofold/dev/}. */
public record DevLayout(Path projectRoot, Path root) {
    public static DevLayout of(Path projectRoot) {
        return new DevLayout(projectRoot, projectRoot.resolve(".twofold/dev"));
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
