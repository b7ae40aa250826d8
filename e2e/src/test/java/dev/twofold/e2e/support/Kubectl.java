package dev.twofold.e2e.support;

import dev.twofold.e2e.controlplane.ControlPlaneBinaries;
import dev.twofold.e2e.pki.Pki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real kubectl 1.35.4, run as a user with a kubeconfig of their own. */
public final class Kubectl {
    private final Path kubeconfig;

    private Kubectl(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
    }

    /** A kubectl bound to a kubeconfig written to a temporary file (readable by the owner only). */
    public static Kubectl withKubeconfig(String kubeconfig) {
        try {
            Path file = Files.createTempFile("kubeconfig-", ".yaml");
            file.toFile().deleteOnExit();
            Pki.writePrivate(file, kubeconfig);
            return new Kubectl(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Command.Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ControlPlaneBinaries.defaultDir().resolve("kubectl").toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(List.of(args));
        return Command.run(Path.of("."), Map.of(), Duration.ofSeconds(60), command.toArray(String[]::new));
    }
}
