package dev.twofold.e2e.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static dev.twofold.e2e.workload.WorkloadCertificates.certificates;
import static dev.twofold.e2e.workload.WorkloadCertificates.operatorMetrics;

import dev.twofold.e2e.pki.Pki;
import dev.twofold.e2e.support.RealCluster;
import dev.twofold.e2e.support.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The PodCertificateRequest path end to end: a TrustDomain and a WorkloadCertificatePolicy applied by an
 * administrator, kubelets played by node clients (NodeRestriction applies), Twofold's operator signing as
 * {@code twofold.dev/workload}.
 */
@ExtendWith(RealCluster.class)
class PodCertificateE2E {

    private static final ResourceDefinitionContext PCR = new ResourceDefinitionContext.Builder()
            .withGroup("certificates.k8s.io").withVersion("v1beta1").withKind("PodCertificateRequest")
            .withPlural("podcertificaterequests").withNamespaced(true).build();
    private static final String NS = "pcr-e2e";
    private static final String TRUST_DOMAIN = "pcr.e2e.test";
    private static final String TRUSTED_NODE = "pcr-node-a";
    private static final String OTHER_TRUSTED_NODE = "pcr-node-b";
    private static final String UNTRUSTED_NODE = "pcr-node-x";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Pod web;
    private static Pod web2;
    private static Pod webUntrusted;

    @BeforeAll
    static void trustDomainPolicyNodesAndPods(TestCluster cluster) {
        var fixtures = cluster.fixtures();
        fixtures.namespace(NS);
        fixtures.readyNode(TRUSTED_NODE, Map.of("twofold-e2e/pool", "trusted"));
        fixtures.readyNode(OTHER_TRUSTED_NODE, Map.of("twofold-e2e/pool", "trusted"));
        fixtures.readyNode(UNTRUSTED_NODE, Map.of("twofold-e2e/pool", "untrusted"));
        fixtures.serviceAccount(NS, "web");
        apply(cluster, """
                apiVersion: twofold.dev/v1alpha1
                kind: TrustDomain
                metadata:
                  name: pcr-e2e
                spec:
                  trustDomain: %s
                  trustedNodeSelector:
                    matchLabels: {twofold-e2e/pool: trusted}
                  bundle:
                    configMapName: pcr-e2e-bundle
                    clusterTrustBundle: true
                    namespaceSelector:
                      matchLabels: {kubernetes.io/metadata.name: %s}
                """.formatted(TRUST_DOMAIN, NS));
        apply(cluster, """
                apiVersion: twofold.dev/v1alpha1
                kind: WorkloadCertificatePolicy
                metadata:
                  name: web
                  namespace: %s
                spec:
                  trustDomain: pcr-e2e
                  podSelector:
                    matchLabels: {app: web}
                  serviceAccountNames: [web]
                  ttl: 2h
                  keyTypes: [ECDSAP256]
                """.formatted(NS));
        web = fixtures.pod(NS, "web-1", "web", TRUSTED_NODE, Map.of("app", "web"), true);
        web2 = fixtures.pod(NS, "web-2", "web", TRUSTED_NODE, Map.of("app", "web"), true);
        webUntrusted = fixtures.pod(NS, "web-x", "web", UNTRUSTED_NODE, Map.of("app", "web"), true);
        await().atMost(WAIT).untilAsserted(() -> {
            var td = cluster.admin().genericKubernetesResources("twofold.dev/v1alpha1", "TrustDomain")
                    .withName("pcr-e2e").get();
            assertThat(readyStatus(td)).isEqualTo("True");
        });
    }

    @Test
    void a_pod_on_a_trusted_node_gets_a_spiffe_certificate_that_chains_to_the_published_bundle(TestCluster cluster)
            throws Exception {
        KeyPair key = Pki.newKeyPair();
        GenericKubernetesResource issued = awaitTerminal(cluster, createAsNode(cluster, TRUSTED_NODE, web, key));

        assertThat(condition(issued)).containsEntry("type", "Issued").containsEntry("status", "True");
        List<X509Certificate> chain = certificates(issued.get("status", "certificateChain"));
        X509Certificate leaf = chain.get(0);
        assertThat(leaf.getPublicKey().getEncoded()).isEqualTo(key.getPublic().getEncoded());
        assertThat(leaf.getSubjectAlternativeNames().stream().map(san -> san.get(1).toString()).toList())
                .containsExactly("spiffe://" + TRUST_DOMAIN + "/ns/" + NS + "/sa/web");
        assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofHours(2)); // the policy's ttl
        assertThat(Instant.parse(issued.get("status", "notBefore"))).isEqualTo(leaf.getNotBefore().toInstant());
        assertThat(Instant.parse(issued.get("status", "notAfter"))).isEqualTo(leaf.getNotAfter().toInstant());
        assertThat(Instant.parse(issued.get("status", "beginRefreshAt")))
                .isEqualTo(leaf.getNotBefore().toInstant().plus(Duration.ofHours(1)));

        // PKIX: the chain validates to the bundle Twofold published in the pod's namespace.
        Set<TrustAnchor> anchors = bundle(cluster).stream().map(ca -> new TrustAnchor(ca, null))
                .collect(Collectors.toSet());
        PKIXParameters parameters = new PKIXParameters(anchors);
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);

        // Status: the TrustDomain names the CA that signed; the policy is Ready and counts what it issued.
        var trustDomain = cluster.admin().genericKubernetesResources("twofold.dev/v1alpha1", "TrustDomain")
                .withName("pcr-e2e").get();
        X509Certificate signingCa = bundle(cluster).stream()
                .filter(ca -> ca.getSubjectX500Principal().equals(chain.get(chain.size() - 1).getIssuerX500Principal()))
                .findFirst().orElseThrow();
        String fingerprint = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(signingCa.getEncoded()));
        assertThat(trustDomain.<String>get("status", "currentCA", "fingerprint")).isEqualTo(fingerprint);
        // The same bundle as a signer-linked ClusterTrustBundle, for clusterTrustBundle projections by signer name.
        GenericKubernetesResource ctb = cluster.admin().genericKubernetesResources(new ResourceDefinitionContext
                .Builder().withGroup("certificates.k8s.io").withVersion("v1beta1").withKind("ClusterTrustBundle")
                .withPlural("clustertrustbundles").withNamespaced(false).build())
                .withName("twofold.dev:workload:pcr-e2e").get();
        assertThat(ctb).isNotNull();
        assertThat(ctb.<String>get("spec", "signerName")).isEqualTo("twofold.dev/workload");
        assertThat(certificates(ctb.get("spec", "trustBundle"))).containsExactlyElementsOf(bundle(cluster));
        await().atMost(WAIT).untilAsserted(() -> {
            var policy = cluster.admin().genericKubernetesResources("twofold.dev/v1alpha1",
                    "WorkloadCertificatePolicy").inNamespace(NS).withName("web").get();
            assertThat(readyStatus(policy)).isEqualTo("True");
            assertThat(((Number) policy.get("status", "certificatesIssued")).longValue()).isPositive();
            assertThat(policy.<String>get("status", "lastIssuance")).isNotBlank();
        });
        assertThat(operatorMetrics(cluster))
                .containsPattern("(?m)^twofold_workload_certificates_issued_total\\{.*path=\"pcr\".*policy=\"" + NS
                        + "/web\".*\\} [1-9]")
                .containsPattern("(?m)^twofold_workload_issuance_seconds_count\\{.*path=\"pcr\".*\\} [1-9]")
                .containsPattern("(?m)^twofold_workload_ca_expiry_seconds\\{.*trust_domain=\"pcr-e2e\".*\\} [1-9]");
    }

    @Test
    void a_node_cannot_request_a_certificate_for_a_pod_on_another_node(TestCluster cluster) {
        assertThatThrownBy(() -> createAsNode(cluster, OTHER_TRUSTED_NODE, web, Pki.newKeyPair()))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }

    @Test
    void a_pod_on_a_node_outside_the_trusted_pool_is_denied_with_the_reason(TestCluster cluster) throws Exception {
        GenericKubernetesResource denied = awaitTerminal(cluster,
                createAsNode(cluster, UNTRUSTED_NODE, webUntrusted, Pki.newKeyPair()));

        assertThat(condition(denied)).containsEntry("type", "Denied").containsEntry("reason", "NodeUntrusted");
        assertThat((String) condition(denied).get("message")).contains("\"" + UNTRUSTED_NODE + "\"")
                .contains("trustedNodeSelector");
        assertThat(denied.<Object>get("status", "certificateChain")).isNull();
        // The pod's owner learns why its pod will not start.
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.admin().v1().events().inNamespace(NS).list()
                .getItems()).anySatisfy(event -> {
                    assertThat(event.getInvolvedObject().getKind()).isEqualTo("Pod");
                    assertThat(event.getInvolvedObject().getName()).isEqualTo("web-x");
                    assertThat(event.getReason()).isEqualTo("WorkloadCertificateDenied");
                    assertThat(event.getMessage()).contains("trustedNodeSelector");
                }));
        // Metrics: low-cardinality denial counter by path and reason.
        await().atMost(WAIT).untilAsserted(() -> assertThat(operatorMetrics(cluster))
                .containsPattern("(?m)^twofold_workload_certificates_denied_total\\{.*path=\"pcr\".*reason=\"node_untrusted\".*\\} [1-9]"));
    }


    @Test
    void a_request_for_a_pod_that_was_recreated_is_refused(TestCluster cluster) throws Exception {
        Pod original = cluster.fixtures().pod(NS, "web-r", "web", TRUSTED_NODE, Map.of("app", "web"), true);
        cluster.admin().pods().inNamespace(NS).withName("web-r").withGracePeriod(0).delete();
        await().atMost(WAIT).until(() -> cluster.admin().pods().inNamespace(NS).withName("web-r").get() == null);
        Pod recreated = cluster.fixtures().pod(NS, "web-r", "web", TRUSTED_NODE, Map.of("app", "web"), true);
        assertThat(recreated.getMetadata().getUid()).isNotEqualTo(original.getMetadata().getUid());

        // A kubelet still holding the old pod: NodeRestriction (1.35.4) refuses the stale UID itself, with a plain
        // error that reaches the client as 500, not 403.
        assertThatThrownBy(() -> {
            try (KubernetesClient kubelet = noRetries(cluster.nodeClient(TRUSTED_NODE))) {
                create(kubelet, request(cluster, TRUSTED_NODE, original, Pki.newKeyPair()));
            }
        }).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isIn(403, 500);
            assertThat(e.getMessage()).contains("which differs from running pod");
        });

        // Requesters other than nodes are not checked by NodeRestriction: Twofold's attestation denies the old UID.
        GenericKubernetesResource denied = awaitTerminal(cluster,
                create(cluster.admin(), request(cluster, TRUSTED_NODE, original, Pki.newKeyPair())));
        assertThat(condition(denied)).containsEntry("type", "Denied").containsEntry("reason", "PodUidMismatch");
        assertThat((String) condition(denied).get("message")).contains("was the pod recreated?");
    }

    /** fabric8 retries 5xx answers with back-off; the API server's refusal here is final. */
    private static KubernetesClient noRetries(KubernetesClient client) {
        return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
                        .withRequestRetryBackoffLimit(0).build()).build();
    }

    @Test
    void two_issued_certificates_complete_a_mutual_tls_handshake(TestCluster cluster) throws Exception {
        KeyPair serverKey = Pki.newKeyPair();
        KeyPair clientKey = Pki.newKeyPair();
        List<X509Certificate> serverChain = certificates(awaitTerminal(cluster,
                createAsNode(cluster, TRUSTED_NODE, web, serverKey)).get("status", "certificateChain"));
        List<X509Certificate> clientChain = certificates(awaitTerminal(cluster,
                createAsNode(cluster, TRUSTED_NODE, web2, clientKey)).get("status", "certificateChain"));
        List<X509Certificate> bundle = bundle(cluster);

        SSLContext server = tls(serverKey, serverChain, bundle);
        SSLContext client = tls(clientKey, clientChain, bundle);
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            CompletableFuture<String> peerSeenByServer = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    accepted.getOutputStream().write('!');
                    accepted.getOutputStream().flush();
                    X509Certificate peer = (X509Certificate) accepted.getSession().getPeerCertificates()[0];
                    return (String) peer.getSubjectAlternativeNames().iterator().next().get(1);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(
                    java.net.InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                socket.startHandshake();
                InputStream in = socket.getInputStream();
                assertThat(in.read()).isEqualTo('!');
                X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
                assertThat(peer.getSubjectAlternativeNames().iterator().next().get(1))
                        .isEqualTo("spiffe://" + TRUST_DOMAIN + "/ns/" + NS + "/sa/web");
            }
            assertThat(peerSeenByServer.get(30, TimeUnit.SECONDS))
                    .isEqualTo("spiffe://" + TRUST_DOMAIN + "/ns/" + NS + "/sa/web");
        }
    }

    private static SSLContext tls(KeyPair key, List<X509Certificate> chain, List<X509Certificate> bundle)
            throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("workload", key.getPrivate(), new char[0], chain.toArray(X509Certificate[]::new));
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

    private static List<X509Certificate> bundle(TestCluster cluster) throws Exception {
        ConfigMap map = await().atMost(WAIT).until(
                () -> cluster.admin().configMaps().inNamespace(NS).withName("pcr-e2e-bundle").get(),
                m -> m != null && m.getData() != null && m.getData().get("ca.crt") != null);
        return certificates(map.getData().get("ca.crt"));
    }

    private static GenericKubernetesResource createAsNode(TestCluster cluster, String node, Pod pod, KeyPair key)
            throws Exception {
        try (KubernetesClient kubelet = cluster.nodeClient(node)) {
            return create(kubelet, request(cluster, node, pod, key));
        }
    }

    private static GenericKubernetesResource create(KubernetesClient client, GenericKubernetesResource request) {
        return client.genericKubernetesResources(PCR).inNamespace(NS).resource(request).create();
    }

    private static GenericKubernetesResource awaitTerminal(TestCluster cluster, GenericKubernetesResource created) {
        return await().atMost(WAIT).until(() -> cluster.admin().genericKubernetesResources(PCR).inNamespace(NS)
                .withName(created.getMetadata().getName()).get(), r -> !conditions(r).isEmpty());
    }

    /** A request as the kubelet builds it: a fresh key, and a proof of possession signing the pod's UID. */
    private static GenericKubernetesResource request(TestCluster cluster, String node, Pod pod, KeyPair key)
            throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key.getPrivate());
        signer.update(pod.getMetadata().getUid().getBytes(StandardCharsets.UTF_8));
        var sa = cluster.admin().serviceAccounts().inNamespace(NS).withName(pod.getSpec().getServiceAccountName())
                .get();
        var nodeObject = cluster.admin().nodes().withName(node).get();
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("certificates.k8s.io/v1beta1").withKind("PodCertificateRequest")
                .withNewMetadata().withGenerateName(pod.getMetadata().getName() + "-").withNamespace(NS).endMetadata()
                .addToAdditionalProperties("spec", Map.of(
                        "signerName", "twofold.dev/workload",
                        "podName", pod.getMetadata().getName(),
                        "podUID", pod.getMetadata().getUid(),
                        "serviceAccountName", sa.getMetadata().getName(),
                        "serviceAccountUID", sa.getMetadata().getUid(),
                        "nodeName", node,
                        "nodeUID", nodeObject.getMetadata().getUid(),
                        "maxExpirationSeconds", 86400,
                        "pkixPublicKey", Base64.getEncoder().encodeToString(key.getPublic().getEncoded()),
                        "proofOfPossession", Base64.getEncoder().encodeToString(signer.sign())))
                .build();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> conditions(GenericKubernetesResource request) {
        Object conditions = request == null ? null : request.get("status", "conditions");
        return conditions instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    private static Map<String, Object> condition(GenericKubernetesResource request) {
        List<Map<String, Object>> conditions = conditions(request);
        assertThat(conditions).hasSize(1);
        return conditions.get(0);
    }

    @SuppressWarnings("unchecked")
    private static String readyStatus(GenericKubernetesResource object) {
        Object conditions = object == null ? null : object.get("status", "conditions");
        if (conditions instanceof List<?> list) {
            for (Object c : list) {
                Map<String, Object> condition = (Map<String, Object>) c;
                if ("Ready".equals(condition.get("type"))) {
                    return (String) condition.get("status");
                }
            }
        }
        return null;
    }


    private static void apply(TestCluster cluster, String manifest) {
        cluster.admin().load(new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8)))
                .forceConflicts().serverSideApply();
    }
}
