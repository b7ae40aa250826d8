package dev.twofold.operator;

import dev.twofold.operator.config.ClientKeyAlgorithm;
import dev.twofold.operator.config.OperatorFlags;
import dev.twofold.operator.config.OperatorSettings;
import dev.twofold.operator.config.UsageException;
import dev.twofold.operator.metrics.MetricsServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code twofold operator}: parses flags (a bad one prints one line and exits 2), connects with fabric8's
 * auto-configuration (KUBECONFIG, ~/.kube/config or the in-cluster service account), serves metrics and probes,
 * runs {@link TwofoldOperator} until SIGTERM/SIGINT, then stops gracefully.
 */
public final class OperatorMain {

    private static final Logger log = LoggerFactory.getLogger(OperatorMain.class);

    private OperatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(OperatorFlags.USAGE);
            return;
        }
        OperatorSettings settings;
        try {
            settings = OperatorFlags.parse(args);
        } catch (UsageException e) {
            System.err.println("twofold operator: " + e.getMessage());
            System.exit(2);
            return;
        }

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KubernetesClient client;
        try {
            Config config = Config.autoConfigure(null);
            ClientKeyAlgorithm.detect(config);
            client = new KubernetesClientBuilder().withConfig(config).build();
        } catch (KubernetesClientException e) {
            System.err.println("twofold operator: cannot configure the Kubernetes client: " + oneLine(e));
            System.exit(1);
            return;
        }
        // Lost the Lease: end the process (from another thread: exit blocks on the shutdown hook below).
        Runnable exit = () -> Thread.ofPlatform().start(() -> System.exit(1));
        TwofoldOperator operator;
        MetricsServer metrics;
        try {
            operator = new TwofoldOperator(client, settings, Clock.systemUTC(), new SecureRandom(), registry, exit);
            metrics = new MetricsServer(settings.metricsPort(), registry, operator::live, operator::ready);
        } catch (KubernetesClientException | UncheckedIOException e) {
            // Startup problems (no API server, port taken) are the user's to fix: one line, no stack trace.
            System.err.println("twofold operator: " + oneLine(e));
            client.close();
            System.exit(1);
            return;
        }
        log.info("metrics and probes on port {}", metrics.port());

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping");
            operator.close();
            metrics.close();
            client.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            operator.start();
        } catch (RuntimeException e) {
            System.err.println("twofold operator: could not start: " + oneLine(e));
            System.exit(1);
        }
        stopped.await();
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return (root == e ? message : message + " (" + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")").replaceAll("\\s+", " ");
    }
}
