package dev.twofold.e2e.dev;

import dev.twofold.e2e.controlplane.ControlPlaneBinaries;
import dev.twofold.e2e.controlplane.Kubeconfig;
import dev.twofold.e2e.env.LocalEnvironment;
import dev.twofold.e2e.env.TwofoldComponents;
import dev.twofold.e2e.keycloak.DemoUser;
import dev.twofold.e2e.pki.Pki;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Starts etcd, kube-apiserver and Keycloak in the background (they outlive this command), applies the sample
 * resources and writes {@code .twofold/dev/env.sh}. Idempotent: a running environment is left as it is, a partial
 * one is cleaned up and started afresh.
 */
final class DevUp {
    private final DevLayout layout;

    DevUp(DevLayout layout) { this.layout = layout; }

    int run() {
        if (DevStatus.allRunning(layout) && Files.exists(layout.envFile())) {
            DevCli.say("already up; 'source " + layout.envFile() + "' to use it, './twofold dev down' to stop it");
            return 0;
        }
        if (Files.exists(layout.root())) {
            DevCli.say("found a stopped or partial environment in " + layout.root() + "; cleaning it up first");
            DevDown.stopAll(layout);
            DevDown.deleteTree(layout.root());
        }
        Instant started = Instant.now();
        LocalEnvironment.PortPlan ports = DevPorts.from(System.getenv());
        TwofoldComponents.PortPlan twofold = DevPorts.twofoldFrom(System.getenv());
        DevCli.say("starting etcd (:" + ports.etcd() + "), kube-apiserver (:" + ports.apiserver() + "), Keycloak (:"
                + ports.keycloak() + "), then Twofold's operator and webhook (:" + twofold.webhook()
                + "); binaries that are missing are built first");
        LocalEnvironment env = LocalEnvironment.start(new LocalEnvironment.Spec(layout.projectRoot(), layout.state(), ports,
                Optional.of(twofold)));
        try {
            DevCli.say("ready: realm 'twofold' has users alice (password+TOTP), bob (password), carol (password+TOTP, "
                    + "platform-admins); Twofold's webhook serves " + twofold.admissionUrl() + " and " + twofold.authorizeUrl());
            writeKubeconfigs(env);
            applySamples(env);
            writeSettings(env);
            writeEnvFile(env, twofold);
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
        DevCli.say("up in " + Duration.between(started, Instant.now()).toSeconds() + " s. Next:");
        DevCli.say("  source " + layout.envFile());
        DevCli.say("  kubectl --kubeconfig \"$TWOFOLD_KUBECONFIG_ALICE\" auth whoami");
        DevCli.say("  ./twofold dev demo      # the scripted tour");
        DevCli.say("  ./twofold dev down      # stop everything and remove the state");
        return 0;
    }

    private void writeKubeconfigs(LocalEnvironment env) {
        var plane = env.controlPlane();
        try {
            Kubeconfig.write(layout.kubeconfig("admin"), Files.readString(plane.adminKubeconfig()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (DemoUser user : DemoUser.ALL) {
            // kubectl asks the launcher for a token whenever it needs one, as it would ask kubelogin
            var plugin = new Kubeconfig.Credentials.ExecPlugin(layout.launcher().toString(),
                    List.of("dev", "token", user.username()));
            Kubeconfig.write(layout.kubeconfig(user.username()), plane.kubeconfig("oidc:" + user.username(), plugin));
        }
    }

    private void applySamples(LocalEnvironment env) {
        List<Path> samples;
        try (Stream<Path> files = Files.list(layout.samples())) {
            samples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the samples in " + layout.samples(), e);
        }
        try (KubernetesClient admin = env.controlPlane().adminClient()) {
            for (Path sample : samples) {
                try (InputStream in = Files.newInputStream(sample)) {
                    admin.load(in).forceConflicts().serverSideApply();
                } catch (IOException e) {
                    throw new UncheckedIOException("could not read " + sample, e);
                }
                DevCli.say("applied " + layout.projectRoot().relativize(sample));
            }
        }
    }

    private void writeSettings(LocalEnvironment env) {
        Properties settings = new Properties();
        settings.setProperty("issuer", env.issuerUrl());
        settings.setProperty("idpCaFile", layout.state().resolve("pki-idp/ca.crt").toString());
        settings.setProperty("apiserver", env.controlPlane().url());
        try (var out = Files.newBufferedWriter(layout.settingsFile())) {
            settings.store(out, "written by ./twofold dev up; read by ./twofold dev token");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + layout.settingsFile(), e);
        }
    }

    private void writeEnvFile(LocalEnvironment env, TwofoldComponents.PortPlan twofold) {
        Path kubectl = ControlPlaneBinaries.defaultDir().resolve("kubectl");
        String content = """
                # Written by ./twofold dev up. Source it: . %s
                export KUBECONFIG=%s
                export TWOFOLD_KUBECONFIG_ALICE=%s
                export TWOFOLD_KUBECONFIG_BOB=%s
                export TWOFOLD_KUBECONFIG_CAROL=%s
                export TWOFOLD_ISSUER_URL=%s
                export TWOFOLD_WEBHOOK_URL=%s
                export TWOFOLD_WEBHOOK_METRICS_URL=%s
                export TWOFOLD_OPERATOR_METRICS_URL=%s
                export TWOFOLD_AGENT_URL=%s
                export TWOFOLD_APISERVER_URL=%s
                export TWOFOLD_KUBECTL=%s
                export PATH=%s:"$PATH"
                """.formatted(layout.envFile(), layout.kubeconfig("admin"), layout.kubeconfig("alice"),
                layout.kubeconfig("bob"), layout.kubeconfig("carol"), env.issuerUrl(),
                "https://127.0.0.1:" + twofold.webhook(), "http://127.0.0.1:" + twofold.webhookMetrics() + "/metrics",
                "http://127.0.0.1:" + twofold.operatorMetrics() + "/metrics", twofold.agentUrl(),
                env.controlPlane().url(),
                kubectl, kubectl.getParent());
        Pki.writePem(layout.envFile(), content);
    }
}
