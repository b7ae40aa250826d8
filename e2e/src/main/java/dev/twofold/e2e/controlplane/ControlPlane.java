package dev.twofold.e2e.controlplane;

import dev.twofold.e2e.pki.Pki;
import dev.twofold.e2e.pki.TlsContexts;
import dev.twofold.e2e.process.ManagedProcess;
import dev.twofold.e2e.process.Ports;
import dev.twofold.e2e.process.ProcessFailure;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * etcd and kube-apiserver on loopback, configured as DESIGN §5 describes: structured authentication (OIDC claims to
 * {@code twofold.dev/*} extras), structured authorization (Node, RBAC, and later Twofold's webhook),
 * PodCertificateRequest served, NodeRestriction on. No kubelet and no controller manager: tests create Nodes and
 * Pods themselves and act as kubelets with {@code system:node:<name>} client certificates.
 */
public final class ControlPlane implements AutoCloseable {
    public static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static final Duration ETCD_START = Duration.ofSeconds(60);
    private static final Duration APISERVER_START = Duration.ofSeconds(180);

    /** What to start. Ports are loopback ports; {@link #withFreePorts} picks them at run time. */
    public record Spec(Path stateDir, ControlPlaneBinaries binaries, int etcdPort, int etcdPeerPort, int apiserverPort,
                       Authentication authentication, List<ApiServerConfigFiles.Authorizer> authorizers) {}

    /** How the API server authenticates people. */
    public sealed interface Authentication {
        /** Structured authentication configuration: the API server verifies the issuer's JWTs itself. */
        record Structured(OidcIssuer issuer) implements Authentication {}

        /** A TokenReview webhook (Twofold's {@code /authenticate}), for clusters that cannot configure an issuer. */
        record TokenWebhook(Path kubeconfigFile) implements Authentication {}
    }

    private final Spec spec;
    private final ClusterPki pki;
    private final ManagedProcess etcd;
    private final ManagedProcess apiserver;
    private final Pki.Issued admin;

    private ControlPlane(Spec spec, ClusterPki pki, ManagedProcess etcd, ManagedProcess apiserver, Pki.Issued admin) {
        this.spec = spec;
        this.pki = pki;
        this.etcd = etcd;
        this.apiserver = apiserver;
        this.admin = admin;
    }

    public static ControlPlane start(Spec spec) {
        Ports.requireFree(spec.etcdPort(), "etcd client");
        Ports.requireFree(spec.etcdPeerPort(), "etcd peer");
        Ports.requireFree(spec.apiserverPort(), "kube-apiserver");
        Path state = spec.stateDir();
        ClusterPki pki = ClusterPki.createIn(state.resolve("pki"));
        Pki.Issued admin = pki.clientCertificate("twofold-admin", List.of("system:masters")).writeTo(pki.dir(), "admin");
        Path authn = write(state.resolve("authentication-config.yaml"), ApiServerConfigFiles.authentication(
                spec.authentication() instanceof Authentication.Structured s ? Optional.of(s.issuer()) : Optional.empty()));
        Path authz = write(state.resolve("authorization-config.yaml"), ApiServerConfigFiles.authorization(spec.authorizers()));

        ManagedProcess etcd = startEtcd(spec);
        ManagedProcess apiserver = null;
        try {
            etcd.awaitReady(() -> httpOk("http://127.0.0.1:" + spec.etcdPort() + "/health", Optional.empty()), ETCD_START);
            apiserver = ManagedProcess.start("kube-apiserver", apiserverArgs(spec, pki, authn, authz), Map.of(), state);
            ControlPlane plane = new ControlPlane(spec, pki, etcd, apiserver, admin);
            Kubeconfig.write(plane.adminKubeconfig(), plane.kubeconfig("twofold-admin",
                    new Kubeconfig.Credentials.ClientCertificate(admin.certificatePem(), admin.kubeconfigKeyPem())));
            var context = TlsContexts.trusting(pki.serverCa().certificatePem(), Optional.of(admin));
            apiserver.awaitReady(() -> httpOk(plane.url() + "/readyz", Optional.of(context)), APISERVER_START);
            return plane;
        } catch (RuntimeException e) {
            if (apiserver != null) apiserver.close();
            etcd.close();
            throw e;
        }
    }

    private static ManagedProcess startEtcd(Spec spec) {
        String client = "http://127.0.0.1:" + spec.etcdPort();
        String peer = "http://127.0.0.1:" + spec.etcdPeerPort();
        return ManagedProcess.start("etcd", List.of(spec.binaries().etcd().toString(),
                "--name=twofold", "--data-dir=" + spec.stateDir().resolve("etcd-data"),
                "--listen-client-urls=" + client, "--advertise-client-urls=" + client,
                "--listen-peer-urls=" + peer, "--initial-advertise-peer-urls=" + peer,
                "--initial-cluster=twofold=" + peer,
                "--listen-metrics-urls=", // no extra port
                "--unsafe-no-fsync=true", // a throw-away local store: durability costs seconds per test run
                "--log-level=warn"), Map.of(), spec.stateDir());
    }

    private static List<String> apiserverArgs(Spec spec, ClusterPki pki, Path authn, Path authz) {
        List<String> args = new java.util.ArrayList<>(List.of(spec.binaries().kubeApiserver().toString(),
                "--etcd-servers=http://127.0.0.1:" + spec.etcdPort(),
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1", // hosts without a default route have nothing else to advertise
                "--secure-port=" + spec.apiserverPort(),
                "--cert-dir=" + spec.stateDir().resolve("apiserver-certs"),
                "--tls-cert-file=" + pki.file("apiserver.crt"),
                "--tls-private-key-file=" + pki.file("apiserver.key"),
                "--client-ca-file=" + pki.file("client-ca.crt"),
                "--service-account-issuer=" + SERVICE_ACCOUNT_ISSUER,
                "--service-account-key-file=" + pki.file("sa.pub"),
                "--service-account-signing-key-file=" + pki.file("sa.key"),
                "--service-cluster-ip-range=10.96.0.0/16",
                "--authentication-config=" + authn,
                "--authorization-config=" + authz,
                "--enable-admission-plugins=NodeRestriction",
                "--feature-gates=PodCertificateRequest=true,ClusterTrustBundle=true",
                "--runtime-config=certificates.k8s.io/v1beta1=true",
                "--allow-privileged=true",
                "--enable-priority-and-fairness=false", // two cores: no need for APF's queues on a single-user server
                "--profiling=false",
                "--event-ttl=1h"));
        if (spec.authentication() instanceof Authentication.TokenWebhook webhook) {
            args.add("--authentication-token-webhook-config-file=" + webhook.kubeconfigFile());
            args.add("--authentication-token-webhook-version=v1");
            // short, so that tests see Twofold's own decisions (and its cache) rather than the API server's
            args.add("--authentication-token-webhook-cache-ttl=1s");
        }
        return args;
    }

    public String url() { return "https://127.0.0.1:" + spec.apiserverPort(); }
    public Spec spec() { return spec; }
    public ClusterPki pki() { return pki; }
    public Path adminKubeconfig() { return spec.stateDir().resolve("admin.kubeconfig"); }
    public List<ManagedProcess> processes() { return List.of(etcd, apiserver); }

    /** A kubeconfig for this API server with the given user's credentials. */
    public String kubeconfig(String user, Kubeconfig.Credentials credentials) {
        return Kubeconfig.render(url(), pki.serverCa().certificatePem(), user, credentials);
    }

    /** A kubeconfig authenticating as {@code user} in {@code groups} with a client certificate from the client CA. */
    public String certificateKubeconfig(String user, List<String> groups) {
        Pki.Issued cert = pki.clientCertificate(user, groups);
        return kubeconfig(user, new Kubeconfig.Credentials.ClientCertificate(cert.certificatePem(), cert.kubeconfigKeyPem()));
    }

    /** A new client (close it) for the given kubeconfig. */
    public static KubernetesClient client(String kubeconfig) {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    }

    public KubernetesClient adminClient() {
        try {
            return client(Files.readString(adminKubeconfig()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        apiserver.close();
        etcd.close();
    }

    private static Path write(Path file, String content) {
        Pki.writePem(file, content);
        return file;
    }

    static boolean httpOk(String url, Optional<javax.net.ssl.SSLContext> tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        tls.ifPresent(builder::sslContext);
        try (HttpClient http = builder.build()) {
            var response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessFailure("interrupted while probing " + url, e);
        }
    }
}
