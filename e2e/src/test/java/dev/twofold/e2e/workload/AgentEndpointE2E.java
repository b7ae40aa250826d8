package dev.twofold.e2e.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static dev.twofold.e2e.workload.WorkloadCertificates.assertChainsTo;
import static dev.twofold.e2e.workload.WorkloadCertificates.certificates;
import static dev.twofold.e2e.workload.WorkloadCertificates.csrPem;
import static dev.twofold.e2e.workload.WorkloadCertificates.operatorMetrics;

import dev.twofold.e2e.pki.Pki;
import dev.twofold.e2e.pki.TlsContexts;
import dev.twofold.e2e.process.ManagedProcess;
import dev.twofold.e2e.support.Command;
import dev.twofold.e2e.support.RealCluster;
import dev.twofold.e2e.support.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent path end to end: a pod's projected service account token (audience {@code twofold}) and a PKCS#10
 * request to the operator's {@code POST /v1/certificates}; the real API server reviews the token, Twofold attests the
 * pod and node and issues from policy, or refuses with a status and a reason. Also the {@code twofold agent} command
 * as a process, writing key, chain and bundle into a directory.
 */
@ExtendWith(RealCluster.class)
class AgentEndpointE2E {

    private static final String NS = "agent-e2e";
    private static final String TRUST_DOMAIN = "agent.e2e.test";
    private static final String NODE = "agent-node-a";
    private static final String UNTRUSTED_NODE = "agent-node-untrusted";
    private static final String AUDIENCE = "twofold";
    private static final String SPIFFE_ID = "spiffe://" + TRUST_DOMAIN + "/ns/" + NS + "/sa/app";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Pod app;
    private static HttpClient https;
    private static String serverCaPem;
    private static URI endpoint;

    @BeforeAll
    static void trustDomainPolicyAndPod(TestCluster cluster) throws Exception {
        var fixtures = cluster.fixtures();
        fixtures.namespace(NS);
        fixtures.readyNode(NODE, Map.of("twofold-e2e/pool", "agents"));
        fixtures.readyNode(UNTRUSTED_NODE, Map.of());
        fixtures.serviceAccount(NS, "app");
        apply(cluster, """
                apiVersion: twofold.dev/v1alpha1
                kind: TrustDomain
                metadata:
                  name: agent-e2e
                spec:
                  trustDomain: %s
                  workloadTtl: {min: 1m}
                  trustedNodeSelector:
                    matchLabels: {twofold-e2e/pool: agents}
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
                  trustDomain: agent-e2e
                  podSelector:
                    matchLabels: {app: app}
                  dnsNameTemplates: ["app.{{namespace}}.svc"]
                  ttl: 2h
                  keyTypes: [ECDSAP256, ED25519]
                ---
                apiVersion: twofold.dev/v1alpha1
                kind: WorkloadCertificatePolicy
                metadata:
                  name: short-lived
                  namespace: %s
                spec:
                  trustDomain: agent-e2e
                  podSelector:
                    matchLabels: {app: short-lived}
                  ttl: 1m
                """.formatted(TRUST_DOMAIN, NS, NS, NS));
        app = fixtures.pod(NS, "app-1", "app", NODE, Map.of("app", "app"), true);
        await().atMost(WAIT).until(() -> {
            ConfigMap bundle = cluster.admin().configMaps().inNamespace(NS).withName("twofold-trust-bundle").get();
            return bundle != null && bundle.getData() != null && bundle.getData().get("ca.crt") != null;
        });
        serverCaPem = new String(Base64.getDecoder().decode(cluster.admin().secrets()
                .inNamespace("twofold-system").withName("twofold-webhook-tls").get().getData().get("ca.crt")),
                StandardCharsets.US_ASCII);
        endpoint = URI.create(cluster.twofold().ports().agentUrl() + "/v1/certificates");
        https = HttpClient.newBuilder().sslContext(TlsContexts.trusting(serverCaPem, Optional.empty()))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void the_agent_command_writes_key_chain_and_bundle_for_its_pod(TestCluster cluster, @TempDir Path dir)
            throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, cluster.fixtures().podBoundToken(app, AUDIENCE, 600));
        Path serverCa = dir.resolve("server-ca.crt");
        Files.writeString(serverCa, serverCaPem);
        Path out = dir.resolve("certs");

        Command.Result result = Command.run(TestCluster.projectRoot(), Map.of("TWOFOLD_SKIP_BUILD", "1"),
                Duration.ofMinutes(2), "./twofold", "agent", "--once", "--server", cluster.twofold().ports().agentUrl(),
                "--server-ca", serverCa.toString(), "--token-file", token.toString(), "--dir", out.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("agent certificate written").contains(SPIFFE_ID);
        // Three files switched together through one symlink; the key readable by its owner only.
        for (String name : List.of("tls.key", "tls.crt", "bundle.pem")) {
            assertThat(Files.isSymbolicLink(out.resolve(name))).as(name).isTrue();
            assertThat(Files.readSymbolicLink(out.resolve(name))).isEqualTo(Path.of("..data", name));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("tls.key"))))
                .isEqualTo("rw-------");
        List<X509Certificate> chain = certificates(Files.readString(out.resolve("tls.crt")));
        List<X509Certificate> bundle = certificates(Files.readString(out.resolve("bundle.pem")));
        assertThat(bundle).containsExactlyInAnyOrderElementsOf(publishedBundle(cluster));
        assertThat(sans(chain.get(0))).containsExactly(SPIFFE_ID, "app." + NS + ".svc");
        assertChainsTo(chain, bundle);

        // The written key is the certificate's: it signs what the certificate's key verifies.
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder()
                .decode(Files.readString(out.resolve("tls.key")).replaceAll("-----[A-Z ]+-----", ""))));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(chain.get(0).getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void the_agent_renews_at_half_life_with_a_new_key(TestCluster cluster, @TempDir Path dir) throws Exception {
        Pod shortLived = cluster.fixtures().pod(NS, "short-1", "app", NODE, Map.of("app", "short-lived"), true);
        Path token = dir.resolve("token");
        Files.writeString(token, cluster.fixtures().podBoundToken(shortLived, AUDIENCE, 600));
        Path serverCa = dir.resolve("server-ca.crt");
        Files.writeString(serverCa, serverCaPem);
        Path out = dir.resolve("certs");

        try (ManagedProcess agent = ManagedProcess.start("twofold-agent", List.of(
                TestCluster.projectRoot().resolve("twofold").toString(), "agent",
                "--server", cluster.twofold().ports().agentUrl(), "--server-ca", serverCa.toString(),
                "--token-file", token.toString(), "--dir", out.toString(), "--key-type", "ED25519"),
                Map.of("TWOFOLD_SKIP_BUILD", "1"), dir)) {
            try {
                renewsAtHalfLife(out);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("the agent's log:\n" + Files.readString(agent.logFile()), e);
            }
        }
    }

    private static void renewsAtHalfLife(Path out) throws Exception {
        X509Certificate first = await().atMost(WAIT).ignoreExceptions()
                .until(() -> certificates(Files.readString(out.resolve("tls.crt"))).get(0), c -> true);
        String firstKey = Files.readString(out.resolve("tls.key"));
        assertThat(Duration.between(first.getNotBefore().toInstant(), first.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofMinutes(1));

        // Renewal is due at half of the 1-minute lifetime (30 s after notBefore, which is backdated 6 s), up to 6 s
        // earlier at random: the next certificate's notBefore is 18-24 s (plus the round trip) after this one's.
        X509Certificate second = await().atMost(Duration.ofSeconds(75)).ignoreExceptions()
                .until(() -> certificates(Files.readString(out.resolve("tls.crt"))).get(0),
                        c -> !c.getSerialNumber().equals(first.getSerialNumber()));
        Duration renewedAfter = Duration.between(first.getNotBefore().toInstant(),
                second.getNotBefore().toInstant());
        assertThat(renewedAfter).isBetween(Duration.ofSeconds(17), Duration.ofSeconds(40));
        assertThat(Files.readString(out.resolve("tls.key"))).isNotEqualTo(firstKey);
        assertThat(second.getPublicKey().getEncoded()).isNotEqualTo(first.getPublicKey().getEncoded());
        assertChainsTo(List.of(second), certificates(Files.readString(out.resolve("bundle.pem"))));
    }

    @Test
    void the_certificate_is_built_from_policy_and_never_from_the_request(TestCluster cluster) throws Exception {
        KeyPair key = Pki.newKeyPair();
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "kubernetes.default.svc"),
            new GeneralName(GeneralName.uniformResourceIdentifier, "https://admin.example.com/")}));
        extensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        String pem = csrPem(new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=system:masters,O=evil"),
                key.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded());

        HttpResponse<String> response = post(cluster.fixtures().podBoundToken(app, AUDIENCE, 600), pem);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"spiffeId\":\"" + SPIFFE_ID + "\"")
                .contains("\"policy\":\"" + NS + "/app\"");
        X509Certificate leaf = certificates(field(response.body(), "certificateChain")).get(0);
        assertThat(leaf.getPublicKey().getEncoded()).isEqualTo(key.getPublic().getEncoded());
        assertThat(sans(leaf)).containsExactly(SPIFFE_ID, "app." + NS + ".svc");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getSubjectX500Principal().getName()).doesNotContain("system:masters").doesNotContain("evil");
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofHours(2));
        assertChainsTo(List.of(leaf), certificates(field(response.body(), "trustBundle")));
    }

    @Test
    void bad_requests_get_a_clear_error_and_nothing_is_issued(TestCluster cluster) throws Exception {
        String token = cluster.fixtures().podBoundToken(app, AUDIENCE, 600);
        String apiToken = cluster.fixtures().podBoundToken(app, "https://kubernetes.default.svc.cluster.local", 600);
        KeyPair key = Pki.newKeyPair();
        byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Principal(""), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
        byte[] badSignature = der.clone();
        badSignature[badSignature.length - 3] ^= 0x01; // inside the signature's s value
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rsaKey = rsa.generateKeyPair();
        String rsaRequest = csrPem(new JcaPKCS10CertificationRequestBuilder(new X500Principal(""), rsaKey.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(rsaKey.getPrivate())).getEncoded());
        ExtensionsGenerator foreign = new ExtensionsGenerator();
        foreign.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(
                GeneralName.uniformResourceIdentifier, "spiffe://" + TRUST_DOMAIN + "/ns/kube-system/sa/admin")));
        String foreignRequest = csrPem(new JcaPKCS10CertificationRequestBuilder(new X500Principal(""), key.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, foreign.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded());
        double issuedBefore = issuedByAgent(cluster);

        record Case(String name, Optional<String> token, String contentType, byte[] body, int status,
                String message) {
        }
        List<Case> cases = List.of(
                new Case("no token", Optional.empty(), "application/pkcs10", csrPem(der).getBytes(), 401,
                        "no bearer token: send the pod's projected service account token (audience twofold)"),
                new Case("a token for the API server, not for twofold", Optional.of(apiToken), "application/pkcs10",
                        csrPem(der).getBytes(), 401, "the token was not accepted"),
                new Case("a forged token", Optional.of(token.substring(0, token.length() - 4) + "AAAA"),
                        "application/pkcs10", csrPem(der).getBytes(), 401, "the token was not accepted"),
                new Case("not PEM", Optional.of(token), "application/pkcs10",
                        "-----BEGIN CERTIFICATE REQUEST-----\nnot base64!\n-----END CERTIFICATE REQUEST-----\n"
                                .getBytes(), 400, "the certificate request was rejected (malformed)"),
                new Case("DER that is not a request", Optional.of(token), "application/pkcs10",
                        Arrays.copyOf(der, der.length / 2), 400, "the certificate request was rejected (malformed)"),
                new Case("a bad self-signature", Optional.of(token), "application/pkcs10", csrPem(badSignature).getBytes(),
                        400, "the certificate request was rejected (bad_signature)"),
                new Case("an oversized body", Optional.of(token), "application/pkcs10", new byte[20 * 1024], 413,
                        "the certificate request exceeds 16384 bytes"),
                new Case("JSON instead of PKCS#10", Optional.of(token), "application/json", "{}".getBytes(), 415,
                        "Content-Type must be application/pkcs10"),
                new Case("a key type the policy does not allow", Optional.of(token), "application/pkcs10",
                        rsaRequest.getBytes(), 403, "denied (KeyTypeNotAllowed)"),
                new Case("another namespace's SPIFFE ID", Optional.of(token), "application/pkcs10",
                        foreignRequest.getBytes(), 403, "denied (IdentityMismatch): the request asks for [spiffe://"
                                + TRUST_DOMAIN + "/ns/kube-system/sa/admin], but policy " + NS + "/app gives pod "
                                + NS + "/app-1 the identity " + SPIFFE_ID));

        for (Case c : cases) {
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", c.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(c.body()));
            c.token().ifPresent(t -> request.header("Authorization", "Bearer " + t));
            HttpResponse<String> response = https.send(request.build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(c.name() + ": " + response.body()).isEqualTo(c.status());
            assertThat(response.headers().firstValue("Content-Type")).as(c.name()).hasValue("application/json");
            assertThat(response.body()).as(c.name()).startsWith("{\"error\":\"").contains(c.message())
                    .doesNotContain("Exception").doesNotContain("at dev.twofold");
        }
        assertThat(issuedByAgent(cluster)).isEqualTo(issuedBefore);
    }

    @Test
    void the_token_of_a_deleted_and_recreated_pod_is_refused(TestCluster cluster) throws Exception {
        Pod original = cluster.fixtures().pod(NS, "app-r", "app", NODE, Map.of("app", "app"), true);
        String token = cluster.fixtures().podBoundToken(original, AUDIENCE, 600);
        cluster.admin().pods().inNamespace(NS).withName("app-r").withGracePeriod(0).delete();
        await().atMost(WAIT).until(() -> cluster.admin().pods().inNamespace(NS).withName("app-r").get() == null);
        Pod recreated = cluster.fixtures().pod(NS, "app-r", "app", NODE, Map.of("app", "app"), true);
        assertThat(recreated.getMetadata().getUid()).isNotEqualTo(original.getMetadata().getUid());

        HttpResponse<String> response = post(token, request());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.body()).contains("the token was not accepted");
    }

    @Test
    void a_pod_on_a_node_outside_the_trusted_pool_is_denied_and_told_why(TestCluster cluster) throws Exception {
        Pod outsider = cluster.fixtures().pod(NS, "app-outside", "app", UNTRUSTED_NODE, Map.of("app", "app"), true);

        HttpResponse<String> response = post(cluster.fixtures().podBoundToken(outsider, AUDIENCE, 600), request());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).contains("denied (NodeUntrusted)").contains(UNTRUSTED_NODE)
                .contains("trustedNodeSelector");
        await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.admin().v1().events().inNamespace(NS).list()
                .getItems()).anySatisfy(event -> {
                    assertThat(event.getInvolvedObject().getName()).isEqualTo("app-outside");
                    assertThat(event.getReason()).isEqualTo("WorkloadCertificateDenied");
                    assertThat(event.getMessage()).startsWith("agent certificate request denied");
                }));
        assertThat(operatorMetrics(cluster)).containsPattern(
                "(?m)^twofold_workload_certificates_denied_total\\{.*path=\"agent\".*reason=\"node_untrusted\".*\\} [1-9]");
    }

    @Test
    void a_service_account_token_not_bound_to_a_pod_is_denied(TestCluster cluster) throws Exception {
        String unbound = cluster.admin().serviceAccounts().inNamespace(NS).withName("app")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withAudiences(AUDIENCE)
                        .withExpirationSeconds(600L).endSpec().build()).getStatus().getToken();

        HttpResponse<String> response = post(unbound, request());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).contains("denied (ClaimInvalid)");
    }

    private static HttpResponse<String> post(String token, String body) throws Exception {
        return https.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/pkcs10")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String request() throws Exception {
        KeyPair key = Pki.newKeyPair();
        return csrPem(new JcaPKCS10CertificationRequestBuilder(new X500Principal(""), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded());
    }


    /** A string field of the endpoint's JSON answer, unescaped. */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1).replace("\\n", "\n").replace("\\/", "/");
    }

    private static List<String> sans(X509Certificate certificate) throws Exception {
        return certificate.getSubjectAlternativeNames().stream().map(san -> san.get(1).toString()).toList();
    }


    private static List<X509Certificate> publishedBundle(TestCluster cluster) throws Exception {
        return certificates(cluster.admin().configMaps().inNamespace(NS).withName("twofold-trust-bundle").get()
                .getData().get("ca.crt"));
    }


    private static double issuedByAgent(TestCluster cluster) throws Exception {
        Matcher m = Pattern.compile("(?m)^twofold_workload_certificates_issued_total\\{[^}]*path=\"agent\"[^}]*\\} "
                + "([0-9.eE+]+)").matcher(operatorMetrics(cluster));
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }


    private static void apply(TestCluster cluster, String manifest) {
        cluster.admin().load(new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8)))
                .forceConflicts().serverSideApply();
    }
}
