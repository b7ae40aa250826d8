package dev.twofold.e2e.env;

import dev.twofold.e2e.pki.Pki;
import dev.twofold.e2e.process.ManagedProcess;
import dev.twofold.e2e.process.Ports;
import dev.twofold.e2e.process.ProcessFailure;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Twofold's own processes, run out of cluster the way {@code ./twofold operator} and {@code ./twofold webhook} run
 * them: the operator (policies' status, the admission webhook configuration, the webhook's serving certificate) and
 * the webhook server (admission and authorization). The webhook's CA is made by the harness before the API server
 * starts, because the API server's authorization configuration must name it; the operator adopts it from its Secret,
 * as it adopts any CA a cluster administrator brings.
 */
public final class TwofoldComponents implements AutoCloseable {
    public static final String NAMESPACE = "twofold-system";
    public static final String CA_SECRET = "twofold-webhook-ca";
    public static final String TLS_SECRET = "twofold-webhook-tls";
    public static final List<String> CRD_RESOURCES = List.of("META-INF/fabric8/mfapolicies.twofold.dev-v1.yml",
            "META-INF/fabric8/oidcissuers.twofold.dev-v1.yml", "META-INF/fabric8/trustdomains.twofold.dev-v1.yml",
            "META-INF/fabric8/workloadcertificatepolicies.twofold.dev-v1.yml");

    /**
     * Which SubjectAccessReviews reach Twofold's authorization webhook: reads of Secrets by people, and every attempt
     * to impersonate (that is how second-factor evidence would be forged). Everything else never waits on Twofold, so
     * a webhook outage cannot take the cluster down; MfaPolicy read rules beyond this set are not enforced.
     */
    public static final String AUTHORIZATION_MATCH = "has(request.resourceAttributes) && ("
            + "request.resourceAttributes.verb == 'impersonate' || (!request.user.startsWith('system:')"
            + " && request.resourceAttributes.resource == 'secrets'"
            + " && request.resourceAttributes.verb in ['get', 'list', 'watch']))";

    private static final Duration START = Duration.ofMinutes(2);

    /** Loopback ports of Twofold's processes. */
    public record PortPlan(int webhook, int webhookMetrics, int operatorMetrics, int agent) {
        public static PortPlan free() {
            return new PortPlan(Ports.free(), Ports.free(), Ports.free(), Ports.free());
        }

        /** The operator's agent issuance endpoint (agents add {@code /v1/certificates}). */
        public String agentUrl() { return "https://127.0.0.1:" + agent; }
        public String authorizeUrl() { return "https://127.0.0.1:" + webhook + "/authorize"; }
        public String authenticateUrl() { return "https://127.0.0.1:" + webhook + "/authenticate"; }
        public String admissionUrl() { return "https://127.0.0.1:" + webhook + "/admission/mfa"; }
    }

    private ManagedProcess operator;
    private String operatorIdentity;
    private ManagedProcess webhook;
    private final PortPlan ports;
    private final String launcher;
    private final Map<String, String> env;
    private final Path stateDir;

    private TwofoldComponents(ManagedProcess operator, String operatorIdentity, ManagedProcess webhook, PortPlan ports,
                              String launcher, Map<String, String> env, Path stateDir) {
        this.operator = operator;
        this.operatorIdentity = operatorIdentity;
        this.webhook = webhook;
        this.ports = ports;
        this.launcher = launcher;
        this.env = env;
        this.stateDir = stateDir;
    }

    /** The webhook CA, written to {@code <dir>/ca.crt|key} before the API server starts. */
    public static Pki.Issued newWebhookCa(Path dir) {
        return Pki.newCa("twofold-webhook-ca", Duration.ofDays(365)).writeTo(dir, "ca");
    }

    /** Declares the IdP to Twofold's TokenReview authenticator, as a cluster administrator would. */
    public static void trustIssuer(KubernetesClient admin, String issuerUrl, String audience, String caPem) {
        String manifest = """
                apiVersion: twofold.dev/v1alpha1
                kind: OidcIssuer
                metadata:
                  name: keycloak
                spec:
                  url: %s
                  audiences: ["%s"]
                  jwksRefresh:
                    minInterval: 5s
                  certificateAuthority: |
                %s
                """.formatted(issuerUrl, audience, caPem.strip().indent(4).stripTrailing());
        admin.load(new java.io.ByteArrayInputStream(manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .forceConflicts().serverSideApply();
    }

    /** Installs the CRDs and the CA Secret, starts operator and webhook, and waits until both are ready. */
    public static TwofoldComponents start(Path projectRoot, Path stateDir, Path adminKubeconfig, KubernetesClient admin,
                                          PortPlan ports, Pki.Issued webhookCa) {
        prepareCluster(admin, webhookCa);
        Map<String, String> env = Map.of("KUBECONFIG", adminKubeconfig.toString(), "TWOFOLD_SKIP_BUILD", "1");
        String launcher = projectRoot.resolve("twofold").toString();
        String identity = leaseIdentity("twofold-operator");
        ManagedProcess operator = startOperator("twofold-operator", identity, ports.operatorMetrics(), ports.agent(),
                launcher, env, stateDir, ports);
        ManagedProcess webhook = null;
        try {
            webhook = startWebhook("twofold-webhook", ports.webhook(), ports.webhookMetrics(), launcher, env, stateDir);
            operator.awaitReady(() -> ready(ports.operatorMetrics()), START);
            webhook.awaitReady(() -> ready(ports.webhookMetrics()), START);
            return new TwofoldComponents(operator, identity, webhook, ports, launcher, env, stateDir);
        } catch (RuntimeException e) {
            if (webhook != null) webhook.close();
            operator.close();
            throw e;
        }
    }

    /**
     * The operator's flags; with leader election on (its default), every operator started with them contends for the
     * Lease {@code twofold-system/twofold-operator}. {@code identity} becomes its holder identity (through
     * {@code HOSTNAME}, as a pod's name would).
     */
    private static ManagedProcess startOperator(String name, String identity, int metricsPort, int agentPort,
                                                String launcher, Map<String, String> env, Path stateDir,
                                                PortPlan ports) {
        Map<String, String> operatorEnv = new java.util.HashMap<>(env);
        operatorEnv.put("HOSTNAME", identity);
        return ManagedProcess.start(name, List.of(launcher, "operator",
                "--namespace", NAMESPACE,
                "--webhook-url", ports.admissionUrl(),
                "--webhook-ip-sans", "127.0.0.1",
                "--webhook-dns-names", "localhost",
                "--metrics-port", String.valueOf(metricsPort),
                // TrustDomain CAs and the twofold.dev/workload signers (the workload CRDs are installed above)
                "--workload-identity",
                // no kubelet here caches trust bundles: a requested CA rotation completes within seconds
                "--bundle-propagation", "3s",
                // the agent endpoint, served with the webhook's certificate (its SANs include 127.0.0.1)
                "--agent-port", String.valueOf(agentPort)), operatorEnv, stateDir);
    }

    /** A Lease holder identity unique to one process start: a restarted process is not mistaken for its predecessor. */
    private static String leaseIdentity(String name) {
        return name + "-" + java.util.HexFormat.of().toHexDigits((int) (System.nanoTime() ^ ProcessHandle.current().pid()));
    }

    private static ManagedProcess startWebhook(String name, int port, int metricsPort, String launcher,
                                               Map<String, String> env, Path stateDir) {
        return ManagedProcess.start(name, List.of(launcher, "webhook",
                "--bind", "127.0.0.1",
                "--port", String.valueOf(port),
                "--metrics-port", String.valueOf(metricsPort),
                "--tls-secret", NAMESPACE + "/" + TLS_SECRET,
                "--api-audiences", dev.twofold.e2e.controlplane.ControlPlane.SERVICE_ACCOUNT_ISSUER), env, stateDir);
    }

    /** Another operator, with the shared operator's flags: it stands by for the Lease, or leads. */
    public record OperatorReplica(ManagedProcess process, String identity, int metricsPort) implements AutoCloseable {
        @Override
        public void close() { process.close(); }
    }

    /** Starts one more operator with the same flags (a replica) and waits until it is ready (leading or standing by). */
    public OperatorReplica startOperatorReplica(String name) {
        int metricsPort = Ports.free();
        String identity = leaseIdentity(name);
        ManagedProcess replica = startOperator(name, identity, metricsPort, Ports.free(), launcher, env, stateDir,
                ports);
        try {
            replica.awaitReady(() -> ready(metricsPort), START);
        } catch (RuntimeException e) {
            replica.close();
            throw e;
        }
        return new OperatorReplica(replica, identity, metricsPort);
    }

    /**
     * Starts one more webhook server serving the same Secret as the shared one, on {@code port} with metrics on
     * {@code metricsPort}, and waits until it is ready.
     */
    public ManagedProcess startWebhookReplica(String name, int port, int metricsPort) {
        ManagedProcess replica = startWebhook(name, port, metricsPort, launcher, env, stateDir);
        try {
            replica.awaitReady(() -> ready(metricsPort), START);
        } catch (RuntimeException e) {
            replica.close();
            throw e;
        }
        return replica;
    }

    /** Kills the shared operator (SIGKILL): a crash of the leader. */
    public void killOperator() {
        operator.kill();
    }

    /** Starts the shared operator again (with a new Lease identity) and waits until it is ready. */
    public void restartOperator() {
        operator.close();
        operatorIdentity = leaseIdentity("twofold-operator");
        operator = startOperator("twofold-operator", operatorIdentity, ports.operatorMetrics(), ports.agent(), launcher,
                env, stateDir, ports);
        operator.awaitReady(() -> ready(ports.operatorMetrics()), START);
    }

    /** The shared operator's Lease holder identity. */
    public String operatorIdentity() {
        return operatorIdentity;
    }

    /** Stops the webhook server (an outage, for fail-closed tests). */
    public void stopWebhook() {
        webhook.close();
    }

    /** Starts the webhook server again after {@link #stopWebhook()} and waits until it is ready. */
    public void restartWebhook() {
        webhook.close();
        webhook = startWebhook("twofold-webhook", ports.webhook(), ports.webhookMetrics(), launcher, env, stateDir);
        webhook.awaitReady(() -> ready(ports.webhookMetrics()), START);
    }

    private static void prepareCluster(KubernetesClient admin, Pki.Issued ca) {
        for (String crd : CRD_RESOURCES) {
            try (InputStream in = TwofoldComponents.class.getClassLoader().getResourceAsStream(crd)) {
                if (in == null) throw new ProcessFailure("CRD " + crd + " is not on the classpath; build the crds module");
                admin.load(in).forceConflicts().serverSideApply();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .serverSideApply();
        admin.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
                .withNewMetadata().withName(CA_SECRET).withNamespace(NAMESPACE).endMetadata()
                .addToStringData("ca.crt", ca.certificatePem())
                .addToStringData("ca.key", ca.privateKeyPem())
                .build()).serverSideApply();
    }

    private static boolean ready(int metricsPort) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/readyz"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public PortPlan ports() { return ports; }
    public ManagedProcess webhook() { return webhook; }
    public ManagedProcess operator() { return operator; }
    public List<ManagedProcess> processes() { return List.of(operator, webhook); }

    @Override
    public void close() {
        webhook.close();
        operator.close();
    }
}
