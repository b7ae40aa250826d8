package dev.twofold.e2e.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twofold.api.v1alpha1.TrustDomain;
import dev.twofold.api.v1alpha1.TrustDomainStatus;
import dev.twofold.e2e.pki.Pki;
import dev.twofold.e2e.support.RealCluster;
import dev.twofold.e2e.support.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CA rotation during continuous issuance: a workload keeps getting certificates through the CSR API while an operator
 * asks for a rotation ({@code twofold.dev/rotate-ca}). Whenever the test looks, every certificate issued so far
 * verifies against the trust bundle published at that moment (ConfigMap and ClusterTrustBundle), and certificates
 * of the old and the new CA complete mutual TLS handshakes both ways with each side trusting that bundle. The harness
 * runs the operator with a 3 s bundle propagation time.
 */
@ExtendWith(RealCluster.class)
class CaRotationE2E {

    private static final String NS = "rot-e2e";
    private static final String TRUST_DOMAIN_OBJECT = "rot-e2e";
    private static final String TRUST_DOMAIN = "rot.e2e.test";
    private static final String NODE = "rot-node-a";
    private static final String API_AUDIENCE = "https://kubernetes.default.svc.cluster.local";
    private static final String CLUSTER_TRUST_BUNDLE = "twofold.dev:workload:" + TRUST_DOMAIN_OBJECT;
    private static final ResourceDefinitionContext CTB = new ResourceDefinitionContext.Builder()
            .withGroup("certificates.k8s.io").withVersion("v1beta1").withKind("ClusterTrustBundle")
            .withPlural("clustertrustbundles").withNamespaced(false).build();
    private static final Duration ISSUE_EVERY = Duration.ofMillis(250);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int PER_CA = 3;

    /** One issued certificate, as the workload holds it. */
    private record Issued(String name, Instant requestedAt, List<X509Certificate> chain, KeyPair key) {
        X509Certificate leaf() {
            return chain.get(0);
        }
    }

    /** What the checks saw: every violation, and how often the interesting cases came up. */
    private static final class Observations {
        final List<String> violations = new CopyOnWriteArrayList<>();
        int checks;
        int handshakes;
        int handshakesAcrossCas;
        int handshakesWithSeveralCas;
        boolean nextCaPublishedBeforeItSigned;
    }

    @Test
    void certificates_issued_before_and_after_a_requested_rotation_keep_verifying_and_handshaking(
            TestCluster cluster) throws Exception {
        Pod app = trustDomainPolicyAndPod(cluster);
        String oldCa = await().atMost(WAIT).until(() -> status(cluster), s -> s != null && s.currentCA() != null
                && ready(s)).currentCA().fingerprint();
        List<Issued> issued = new CopyOnWriteArrayList<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        Observations seen = new Observations();
        String request = "e2e-" + Instant.now().toEpochMilli();
        AtomicReference<Instant> activationSeen = new AtomicReference<>();

        ScheduledExecutorService issuer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "rot-e2e-issuer");
            thread.setDaemon(true);
            return thread;
        });
        String token = cluster.fixtures().podBoundToken(app, API_AUDIENCE, 600);
        try (KubernetesClient workload = cluster.clientWithToken("rot-e2e-app", token)) {
            AtomicInteger sequence = new AtomicInteger();
            issuer.scheduleWithFixedDelay(() -> issueOne(cluster, workload, "rot-e2e-" + sequence.incrementAndGet(),
                    issued, failures), 0, ISSUE_EVERY.toMillis(), TimeUnit.MILLISECONDS);

            // Before: the old CA issues, and everything verifies.
            await("the first CA issues " + PER_CA + " certificates").atMost(WAIT).pollInSameThread()
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                check(cluster, issued, seen);
                return countIssuedBy(issued, oldCa, bundle(cluster)) >= PER_CA || !seen.violations.isEmpty()
                        || !failures.isEmpty();
            });
            Instant requestedAt = Instant.now();
            cluster.admin().resources(TrustDomain.class).withName(TRUST_DOMAIN_OBJECT).patch(
                    PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\""
                            + TrustDomain.ROTATE_CA_ANNOTATION + "\":\"" + request + "\"}}}");

            // During and after: the next CA is published, takes over, and issues a few; everything verifies.
            await("the requested rotation completes and the new CA issues " + PER_CA + " certificates")
                    .atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(200)).until(() -> {
                TrustDomainStatus status = status(cluster);
                if (status.nextCA() != null && activationSeen.get() == null) {
                    List<X509Certificate> bundle = bundle(cluster);
                    seen.nextCaPublishedBeforeItSigned |= fingerprints(bundle).containsAll(
                            Set.of(oldCa, status.nextCA().fingerprint()));
                }
                if (!status.currentCA().fingerprint().equals(oldCa)) {
                    activationSeen.compareAndSet(null, Instant.now());
                }
                check(cluster, issued, seen);
                Instant activated = activationSeen.get();
                return activated != null && issued.stream().filter(i -> i.requestedAt().isAfter(activated)).count()
                        >= PER_CA || !seen.violations.isEmpty() || !failures.isEmpty();
            });
            issuer.shutdown();
            assertThat(issuer.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            check(cluster, issued, seen);

            assertThat(seen.violations).as("verification or handshake failures").isEmpty();
            assertThat(failures).as("issuance failures").isEmpty();
            TrustDomainStatus status = status(cluster);
            String newCa = status.currentCA().fingerprint();
            assertThat(newCa).isNotEqualTo(oldCa);
            assertThat(status.nextCA()).isNull();
            assertThat(status.rotation().lastRequest()).isEqualTo(request);
            assertThat(status.rotation().pendingRequest()).isNull();
            assertThat(status.conditions()).filteredOn(c -> c.getType().equals(TrustDomainStatus.ROTATING))
                    .singleElement().extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("False", "RotationCompleted");

            List<X509Certificate> finalBundle = bundle(cluster);
            // The old CA stays published while certificates it signed live.
            assertThat(fingerprints(finalBundle)).containsExactlyInAnyOrder(newCa, oldCa);
            Map<String, List<Issued>> byCa = issued.stream().collect(Collectors.groupingBy(
                    i -> issuerOf(i.leaf(), finalBundle)));
            assertThat(byCa.keySet()).containsExactlyInAnyOrder(oldCa, newCa);
            assertThat(byCa.get(oldCa)).hasSizeGreaterThanOrEqualTo(PER_CA)
                    .allSatisfy(i -> assertThat(i.requestedAt()).isBefore(activationSeen.get()));
            assertThat(issued).filteredOn(i -> i.requestedAt().isBefore(requestedAt))
                    .allSatisfy(i -> assertThat(issuerOf(i.leaf(), finalBundle)).isEqualTo(oldCa));
            // Once the status names the new CA, every new leaf chains to it.
            assertThat(issued).filteredOn(i -> i.requestedAt().isAfter(activationSeen.get()))
                    .hasSizeGreaterThanOrEqualTo(PER_CA)
                    .allSatisfy(i -> assertThat(issuerOf(i.leaf(), finalBundle)).isEqualTo(newCa));
            assertThat(seen.nextCaPublishedBeforeItSigned).as("both CAs published before the new one signed")
                    .isTrue();
            assertThat(seen.handshakesAcrossCas).as("handshakes between an old-CA and a new-CA certificate")
                    .isGreaterThanOrEqualTo(2);
            assertThat(seen.handshakesWithSeveralCas).as("handshakes trusting a bundle of both CAs")
                    .isGreaterThanOrEqualTo(2);
            System.out.printf("CaRotationE2E: %d certificates (%d old CA, %d new CA), %d checks, %d handshakes "
                    + "(%d across CAs)%n", issued.size(), byCa.get(oldCa).size(), byCa.get(newCa).size(),
                    seen.checks, seen.handshakes, seen.handshakesAcrossCas);
        } finally {
            issuer.shutdownNow();
        }
    }

    /** Requests one certificate as the pod and waits for it; records it, or why there is none. */
    private static void issueOne(TestCluster cluster, KubernetesClient workload, String name, List<Issued> issued,
            List<String> failures) {
        try {
            KeyPair key = Pki.newKeyPair();
            Instant requestedAt = Instant.now();
            workload.certificates().v1().certificateSigningRequests().resource(csr(name, key)).create();
            CertificateSigningRequest done = await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(
                    () -> cluster.admin().certificates().v1().certificateSigningRequests().withName(name).get(),
                    r -> r.getStatus() != null && (r.getStatus().getCertificate() != null
                            && !r.getStatus().getCertificate().isEmpty() || r.getStatus().getConditions().stream()
                                    .anyMatch(c -> c.getType().equals("Denied") || c.getType().equals("Failed"))));
            if (done.getStatus().getCertificate() == null || done.getStatus().getCertificate().isEmpty()) {
                failures.add(name + ": " + done.getStatus().getConditions());
                return;
            }
            issued.add(new Issued(name, requestedAt, certificates(new String(
                    Base64.getDecoder().decode(done.getStatus().getCertificate()), StandardCharsets.US_ASCII)), key));
            cluster.admin().certificates().v1().certificateSigningRequests().withName(name).delete();
        } catch (Exception | AssertionError e) {
            failures.add(name + ": " + e);
        }
    }

    /**
     * Every certificate issued so far against the bundles as published now (read after the list, so they are at
     * least as new), and a mutual TLS handshake each way between the first and the latest certificate.
     */
    private static void check(TestCluster cluster, List<Issued> issued, Observations seen) throws Exception {
        List<Issued> snapshot = List.copyOf(issued);
        List<X509Certificate> bundle = bundle(cluster);
        List<X509Certificate> clusterTrustBundle = clusterTrustBundle(cluster);
        seen.checks++;
        for (Issued certificate : snapshot) {
            verify(certificate, bundle, "ConfigMap", seen);
            verify(certificate, clusterTrustBundle, "ClusterTrustBundle", seen);
        }
        if (snapshot.size() < 2) {
            return;
        }
        Issued first = snapshot.get(0);
        Issued latest = snapshot.get(snapshot.size() - 1);
        boolean acrossCas = !issuerOf(first.leaf(), bundle).equals(issuerOf(latest.leaf(), bundle));
        for (Issued[] pair : new Issued[][] {{first, latest}, {latest, first}}) {
            try {
                handshake(pair[0], pair[1], bundle);
                seen.handshakes++;
                seen.handshakesAcrossCas += acrossCas ? 1 : 0;
                seen.handshakesWithSeveralCas += bundle.size() > 1 ? 1 : 0;
            } catch (Exception e) {
                seen.violations.add("handshake server " + pair[0].name() + " / client " + pair[1].name()
                        + " trusting " + fingerprints(bundle) + ": " + e);
            }
        }
    }

    private static void verify(Issued certificate, List<X509Certificate> bundle, String published,
            Observations seen) {
        try {
            PKIXParameters parameters = new PKIXParameters(bundle.stream().map(ca -> new TrustAnchor(ca, null))
                    .collect(Collectors.toSet()));
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(certificate.chain()), parameters);
        } catch (GeneralSecurityException e) {
            seen.violations.add(certificate.name() + " does not verify against the " + published + " bundle "
                    + fingerprints(bundle) + ": " + e.getMessage());
        }
    }

    /** {@code server} accepts a connection from {@code client}; both present their chains and trust {@code bundle}. */
    private static void handshake(Issued server, Issued client, List<X509Certificate> bundle) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) tls(server, bundle).getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            CompletableFuture<X509Certificate> clientSeenByServer = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    accepted.getOutputStream().write('!');
                    accepted.getOutputStream().flush();
                    return (X509Certificate) accepted.getSession().getPeerCertificates()[0];
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket socket = (SSLSocket) tls(client, bundle).getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                socket.setSoTimeout(30_000);
                socket.startHandshake();
                InputStream in = socket.getInputStream();
                if (in.read() != '!') {
                    throw new IllegalStateException("the server sent nothing");
                }
                if (!socket.getSession().getPeerCertificates()[0].equals(server.leaf())) {
                    throw new IllegalStateException("the client saw another server certificate");
                }
            }
            if (!clientSeenByServer.get(30, TimeUnit.SECONDS).equals(client.leaf())) {
                throw new IllegalStateException("the server saw another client certificate");
            }
        }
    }

    private static SSLContext tls(Issued identity, List<X509Certificate> bundle) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("workload", identity.key().getPrivate(), new char[0],
                identity.chain().toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < bundle.size(); i++) {
            trust.setCertificateEntry("ca-" + i, bundle.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static long countIssuedBy(List<Issued> issued, String ca, List<X509Certificate> bundle) {
        return issued.stream().filter(i -> issuerOf(i.leaf(), bundle).equals(ca)).count();
    }

    /** The fingerprint of the CA in {@code bundle} whose key signed {@code leaf}; "none" if no CA there did. */
    private static String issuerOf(X509Certificate leaf, List<X509Certificate> bundle) {
        for (X509Certificate ca : bundle) {
            try {
                leaf.verify(ca.getPublicKey());
                return fingerprint(ca);
            } catch (GeneralSecurityException e) {
                // another CA's key
            }
        }
        return "none";
    }

    private static List<String> fingerprints(List<X509Certificate> certificates) {
        return certificates.stream().map(CaRotationE2E::fingerprint).toList();
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TrustDomainStatus status(TestCluster cluster) {
        TrustDomain trustDomain = cluster.admin().resources(TrustDomain.class).withName(TRUST_DOMAIN_OBJECT).get();
        return trustDomain == null ? null : trustDomain.getStatus();
    }

    private static boolean ready(TrustDomainStatus status) {
        return status.conditions().stream().anyMatch(c -> c.getType().equals(TrustDomainStatus.READY)
                && c.getStatus().equals("True"));
    }

    private static List<X509Certificate> bundle(TestCluster cluster) throws Exception {
        ConfigMap map = cluster.admin().configMaps().inNamespace(NS).withName("twofold-trust-bundle").get();
        return map == null || map.getData() == null ? List.of() : certificates(map.getData().get("ca.crt"));
    }

    private static List<X509Certificate> clusterTrustBundle(TestCluster cluster) throws Exception {
        GenericKubernetesResource bundle = cluster.admin().genericKubernetesResources(CTB)
                .withName(CLUSTER_TRUST_BUNDLE).get();
        return bundle == null ? List.of() : certificates(bundle.get("spec", "trustBundle"));
    }

    private static List<X509Certificate> certificates(String pem) throws Exception {
        if (pem == null) {
            return List.of();
        }
        return new ArrayList<>(CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).stream()
                .map(c -> (X509Certificate) c).toList());
    }

    private static CertificateSigningRequest csr(String name, KeyPair key) throws Exception {
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=ignored"), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
        String pem = "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                        request.getEncoded())
                + "\n-----END CERTIFICATE REQUEST-----\n";
        return new CertificateSigningRequestBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                .withSignerName("twofold.dev/workload")
                .withRequest(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)))
                .withUsages("digital signature", "client auth", "server auth")
                .endSpec()
                .build();
    }

    private static Pod trustDomainPolicyAndPod(TestCluster cluster) {
        var fixtures = cluster.fixtures();
        fixtures.namespace(NS);
        fixtures.readyNode(NODE, Map.of("twofold-e2e/pool", "rotation"));
        fixtures.serviceAccount(NS, "app");
        String manifest = """
                apiVersion: twofold.dev/v1alpha1
                kind: TrustDomain
                metadata:
                  name: %s
                spec:
                  trustDomain: %s
                  trustedNodeSelector:
                    matchLabels: {twofold-e2e/pool: rotation}
                  bundle:
                    clusterTrustBundle: true
                    namespaceSelector:
                      matchLabels: {kubernetes.io/metadata.name: %s}
                ---
                apiVersion: twofold.dev/v1alpha1
                kind: WorkloadCertificatePolicy
                metadata:
                  name: app
                  namespace: %s
                spec:
                  trustDomain: %s
                  podSelector:
                    matchLabels: {app: app}
                  keyTypes: [ECDSAP256]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: rot-e2e-requester
                rules:
                - apiGroups: [certificates.k8s.io]
                  resources: [certificatesigningrequests]
                  verbs: [create, get]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata:
                  name: rot-e2e-requester
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: rot-e2e-requester}
                subjects:
                - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:serviceaccounts:%s"}
                """.formatted(TRUST_DOMAIN_OBJECT, TRUST_DOMAIN, NS, NS, TRUST_DOMAIN_OBJECT, NS);
        cluster.admin().load(new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8)))
                .forceConflicts().serverSideApply();
        Pod app = fixtures.pod(NS, "app-1", "app", NODE, Map.of("app", "app"), true);
        await().atMost(WAIT).until(() -> bundle(cluster).size() == 1 && clusterTrustBundle(cluster).size() == 1);
        return app;
    }
}
