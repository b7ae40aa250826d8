package dev.twofold.e2e.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static dev.twofold.e2e.workload.WorkloadCertificates.certificates;
import static dev.twofold.e2e.workload.WorkloadCertificates.csrPem;

import dev.twofold.e2e.pki.Pki;
import dev.twofold.e2e.support.RealCluster;
import dev.twofold.e2e.support.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CSR API path end to end: a pod-bound service account token creates a CertificateSigningRequest for
 * {@code twofold.dev/workload}; the API server records the pod and node in {@code spec.extra}, Twofold attests them,
 * approves and signs, or denies with a reason.
 */
@ExtendWith(RealCluster.class)
class CertificateSigningRequestE2E {

    private static final String NS = "csr-e2e";
    private static final String TRUST_DOMAIN = "csr.e2e.test";
    private static final String NODE = "csr-node-a";
    private static final String API_AUDIENCE = "https://kubernetes.default.svc.cluster.local";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Pod app;

    @BeforeAll
    static void trustDomainPolicyAndPod(TestCluster cluster) {
        var fixtures = cluster.fixtures();
        fixtures.namespace(NS);
        fixtures.readyNode(NODE, Map.of("twofold-e2e/pool", "trusted"));
        fixtures.serviceAccount(NS, "app");
        apply(cluster, """
                apiVersion: twofold.dev/v1alpha1
                kind: TrustDomain
                metadata:
                  name: csr-e2e
                spec:
                  trustDomain: %s
                  trustedNodeSelector:
                    matchLabels: {twofold-e2e/pool: trusted}
                  bundle:
                    namespaceSelector:
                      matchLabels: {kubernetes.io/metadata.name: %s}
                ---
                apiVersion: twofold.dev/v1alpha1
                kind: WorkloadCertificatePolicy
                metadata:
                  name: app
                  namespace: %s
                spec:
                  trustDomain: csr-e2e
                  podSelector:
                    matchLabels: {app: app}
                  keyTypes: [ECDSAP256]
                ---
                # Workloads in the namespace may file CSRs (the API server records who they are).
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: csr-e2e-requester
                rules:
                - apiGroups: [certificates.k8s.io]
                  resources: [certificatesigningrequests]
                  verbs: [create, get]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata:
                  name: csr-e2e-requester
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: csr-e2e-requester}
                subjects:
                - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:serviceaccounts:%s"}
                """.formatted(TRUST_DOMAIN, NS, NS, NS));
        app = fixtures.pod(NS, "app-1", "app", NODE, Map.of("app", "app"), true);
        await().atMost(WAIT).until(() -> {
            ConfigMap bundle = cluster.admin().configMaps().inNamespace(NS).withName("twofold-trust-bundle").get();
            return bundle != null && bundle.getData() != null && bundle.getData().get("ca.crt") != null;
        });
    }

    @Test
    void a_pod_bound_token_gets_its_csr_approved_and_signed_with_the_pods_spiffe_id(TestCluster cluster)
            throws Exception {
        KeyPair key = Pki.newKeyPair();
        String token = cluster.fixtures().podBoundToken(app, API_AUDIENCE, 600);
        CertificateSigningRequest created;
        try (KubernetesClient workload = cluster.clientWithToken("csr-e2e-app", token)) {
            created = workload.certificates().v1().certificateSigningRequests()
                    .resource(csr("app-signed", key, "SHA256withECDSA")).create();
        }
        assertThat(created.getSpec().getUsername()).isEqualTo("system:serviceaccount:" + NS + ":app");
        assertThat(created.getSpec().getExtra()).containsEntry("authentication.kubernetes.io/pod-uid",
                List.of(app.getMetadata().getUid()));

        CertificateSigningRequest signed = await().atMost(WAIT).until(() -> cluster.admin().certificates().v1()
                .certificateSigningRequests().withName("app-signed").get(),
                r -> r.getStatus() != null && r.getStatus().getCertificate() != null
                        && !r.getStatus().getCertificate().isEmpty());
        assertThat(signed.getStatus().getConditions()).extracting(CertificateSigningRequestCondition::getType,
                CertificateSigningRequestCondition::getReason).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Approved", "TwofoldAttested"));
        List<X509Certificate> chain = certificates(new String(
                Base64.getDecoder().decode(signed.getStatus().getCertificate()), StandardCharsets.US_ASCII));
        X509Certificate leaf = chain.get(0);
        assertThat(leaf.getPublicKey().getEncoded()).isEqualTo(key.getPublic().getEncoded());
        assertThat(leaf.getSubjectAlternativeNames().stream().map(san -> san.get(1).toString()).toList())
                .containsExactly("spiffe://" + TRUST_DOMAIN + "/ns/" + NS + "/sa/app");
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofHours(1)); // the trust domain's default ttl

        PKIXParameters parameters = new PKIXParameters(bundle(cluster).stream()
                .map(ca -> new TrustAnchor(ca, null)).collect(Collectors.toSet()));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
    }

    @Test
    void a_csr_asking_for_another_namespaces_spiffe_id_is_denied_with_the_reason(TestCluster cluster)
            throws Exception {
        KeyPair key = Pki.newKeyPair();
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(
                GeneralName.uniformResourceIdentifier, "spiffe://" + TRUST_DOMAIN + "/ns/kube-system/sa/admin")));
        byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Principal(""), key.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
        String token = cluster.fixtures().podBoundToken(app, API_AUDIENCE, 600);
        try (KubernetesClient workload = cluster.clientWithToken("csr-e2e-app", token)) {
            workload.certificates().v1().certificateSigningRequests().resource(csr("app-foreign", csrPem(der))).create();
        }

        CertificateSigningRequestCondition denied = awaitCondition(cluster, "app-foreign");
        assertThat(denied.getType()).isEqualTo("Denied");
        assertThat(denied.getReason()).isEqualTo("IdentityMismatch");
        assertThat(denied.getMessage()).contains("asks for [spiffe://" + TRUST_DOMAIN + "/ns/kube-system/sa/admin]")
                .contains("the identity spiffe://" + TRUST_DOMAIN + "/ns/" + NS + "/sa/app");
    }

    @Test
    void a_csr_whose_self_signature_does_not_verify_is_denied(TestCluster cluster) throws Exception {
        KeyPair key = Pki.newKeyPair();
        byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Principal(""), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
        der[der.length - 3] ^= 0x01; // inside the signature's s value
        String token = cluster.fixtures().podBoundToken(app, API_AUDIENCE, 600);
        try (KubernetesClient workload = cluster.clientWithToken("csr-e2e-app", token)) {
            workload.certificates().v1().certificateSigningRequests().resource(csr("app-bad-signature", csrPem(der)))
                    .create();
        } catch (KubernetesClientException e) {
            // The API server may refuse it itself; either way nothing is signed.
            assertThat(e.getCode()).isEqualTo(422);
            return;
        }

        CertificateSigningRequestCondition denied = awaitCondition(cluster, "app-bad-signature");
        assertThat(denied.getType()).isEqualTo("Denied");
        assertThat(denied.getReason()).isEqualTo("InvalidRequest");
        assertThat(denied.getMessage()).isEqualTo("the request's signature does not verify with its public key");
    }

    @Test
    void a_key_type_the_policy_does_not_allow_is_denied(TestCluster cluster) throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String token = cluster.fixtures().podBoundToken(app, API_AUDIENCE, 600);
        try (KubernetesClient workload = cluster.clientWithToken("csr-e2e-app", token)) {
            workload.certificates().v1().certificateSigningRequests()
                    .resource(csr("app-rsa", rsa.generateKeyPair(), "SHA256withRSA")).create();
        }
        CertificateSigningRequestCondition denied = awaitCondition(cluster, "app-rsa");
        assertThat(denied.getType()).isEqualTo("Denied");
        assertThat(denied.getReason()).isEqualTo("KeyTypeNotAllowed");
        assertThat(denied.getMessage()).contains("allows [ECDSAP256] keys, not RSA2048");
    }

    @Test
    void a_requester_without_a_pod_bound_token_is_denied(TestCluster cluster) throws Exception {
        cluster.admin().certificates().v1().certificateSigningRequests()
                .resource(csr("admin-csr", Pki.newKeyPair(), "SHA256withECDSA")).create();

        CertificateSigningRequestCondition denied = awaitCondition(cluster, "admin-csr");
        assertThat(denied.getType()).isEqualTo("Denied");
        assertThat(denied.getReason()).isEqualTo("ClaimInvalid");
    }

    @Test
    void the_token_of_a_deleted_and_recreated_pod_no_longer_authenticates(TestCluster cluster) {
        Pod original = cluster.fixtures().pod(NS, "app-r", "app", NODE, Map.of("app", "app"), true);
        String token = cluster.fixtures().podBoundToken(original, API_AUDIENCE, 600);
        cluster.admin().pods().inNamespace(NS).withName("app-r").withGracePeriod(0).delete();
        await().atMost(WAIT).until(() -> cluster.admin().pods().inNamespace(NS).withName("app-r").get() == null);
        cluster.fixtures().pod(NS, "app-r", "app", NODE, Map.of("app", "app"), true);

        // The API server checks the bound pod's UID on every request: the CSR never reaches Twofold.
        assertThatThrownBy(() -> {
            try (KubernetesClient stale = cluster.clientWithToken("csr-e2e-stale", token)) {
                stale.certificates().v1().certificateSigningRequests()
                        .resource(csr("app-stale", Pki.newKeyPair(), "SHA256withECDSA")).create();
            }
        }).isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
    }

    private static CertificateSigningRequestCondition awaitCondition(TestCluster cluster, String name) {
        CertificateSigningRequest request = await().atMost(WAIT).until(() -> cluster.admin().certificates().v1()
                .certificateSigningRequests().withName(name).get(),
                r -> r.getStatus() != null && r.getStatus().getConditions() != null
                        && !r.getStatus().getConditions().isEmpty());
        assertThat(request.getStatus().getConditions()).hasSize(1);
        assertThat(request.getStatus().getCertificate()).isNullOrEmpty();
        return request.getStatus().getConditions().get(0);
    }

    private static CertificateSigningRequest csr(String name, KeyPair key, String algorithm) throws Exception {
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=ignored"), key.getPublic())
                .build(new JcaContentSignerBuilder(algorithm).build(key.getPrivate()));
        return csr(name, csrPem(request.getEncoded()));
    }


    private static CertificateSigningRequest csr(String name, String pem) {
        return new CertificateSigningRequestBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                .withSignerName("twofold.dev/workload")
                .withRequest(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)))
                .withUsages("digital signature", "client auth", "server auth")
                .endSpec()
                .build();
    }

    private static List<X509Certificate> bundle(TestCluster cluster) throws Exception {
        return certificates(cluster.admin().configMaps().inNamespace(NS).withName("twofold-trust-bundle").get()
                .getData().get("ca.crt"));
    }


    private static void apply(TestCluster cluster, String manifest) {
        cluster.admin().load(new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8)))
                .forceConflicts().serverSideApply();
    }
}
