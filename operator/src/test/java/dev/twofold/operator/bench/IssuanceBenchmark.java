package dev.twofold.operator.bench;

import dev.twofold.api.v1alpha1.TrustDomain;
import dev.twofold.api.v1alpha1.TrustDomainSpec;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicySpec;
import dev.twofold.operator.workload.WorkloadIdentity;
import dev.twofold.operator.workload.ca.CaFactory;
import dev.twofold.operator.workload.ca.CertificateAuthority;
import dev.twofold.operator.workload.issuer.CaSigner;
import dev.twofold.operator.workload.issuer.CertificateProfileValidator;
import dev.twofold.operator.workload.issuer.CsrVerifier;
import dev.twofold.operator.workload.issuer.IssuanceException;
import dev.twofold.operator.workload.issuer.IssuanceRequest;
import dev.twofold.operator.workload.issuer.IssuedCertificate;
import dev.twofold.operator.workload.issuer.JcaCaSigner;
import dev.twofold.operator.workload.issuer.RequestRejectedException;
import dev.twofold.operator.workload.issuer.RequestedLifetime;
import dev.twofold.operator.workload.issuer.SignatureVerifier;
import dev.twofold.operator.workload.issuer.VerifiedPublicKey;
import dev.twofold.operator.workload.issuer.WorkloadIssuer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The issuance hot path as the CSR-API signer and the agent endpoint run it: verify a PKCS#10 CSR (P-256), build the
 * certificate from policy, sign it with the trust domain's ECDSA P-256 CA, re-validate it (PKIX + profile). Two
 * threads on the shared issuer, as on a 2-core operator. {@code provider} chooses who signs: the JDK (SunEC) or
 * BouncyCastle; {@code signOnly} isolates that signature. Target: at least 5,000 issuances/s, p99 at most 5 ms.
 *
 * <p>Run (from the repository root; reactor modules resolve only when built in the same session, and
 * {@code -Dexec.skip=true} skips the crds and webhook JMH executions, whose {@code jmh} id this shares):
 * <pre>
 * mvn -B -o -pl crds,webhook,operator test-compile exec:exec@jmh -Dexec.skip=true \
 *     -Djmh.args="IssuanceBenchmark -f 1 -wi 6 -w 2s -i 8 -r 2s"
 * </pre>
 * Warm up at least 10 s: BouncyCastle's EC code keeps getting faster for a while under C2.
 */
@State(Scope.Benchmark)
@Threads(2)
public class IssuanceBenchmark {

    private static final int CSRS = 256;

    @Param({"JDK", "BC"})
    public String provider;

    private CsrVerifier verifier;
    private WorkloadIssuer issuer;
    private CaSigner signer;
    private CertificateAuthority ca;
    private WorkloadCertificatePolicy policy;
    private TrustDomain trustDomain;
    private WorkloadIdentity identity;
    private byte[][] csrs;
    private byte[] tbs;

    /** Each thread walks the CSR pool on its own. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Setup
    public void setUp() throws Exception {
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        ca = new CaFactory(clock, random).selfSigned("prod.example.com", Duration.ofHours(8760));
        signer = provider.equals("BC") ? JcaCaSigner.bouncyCastle(random) : JcaCaSigner.jdk(random);
        verifier = new CsrVerifier(new SignatureVerifier());
        issuer = new WorkloadIssuer(clock, random, signer, CertificateProfileValidator.bouncyCastle());
        KubernetesSerialization yaml = new KubernetesSerialization();
        policy = WorkloadCertificatePolicy.of("demo", "web", yaml.unmarshal("""
                trustDomain: prod
                podSelector: {matchLabels: {app: web}}
                spiffeIdTemplate: "spiffe://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}}/{{podLabel.app}}"
                dnsNameTemplates: ["{{serviceAccount}}.{{namespace}}.svc"]
                """, WorkloadCertificatePolicySpec.class));
        trustDomain = TrustDomain.of("prod", yaml.unmarshal("trustDomain: prod.example.com",
                TrustDomainSpec.class));
        identity = new WorkloadIdentity("demo", "web", "web-7d9f-abcde", "0b9e8a42-6a0c-4bd4-9d1c-7b8c1f1e2d3a",
                "node-1", Map.of("app", "web", "pod-template-hash", "7d9f"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        csrs = new byte[CSRS][];
        for (int i = 0; i < CSRS; i++) {
            KeyPair keys = generator.generateKeyPair();
            csrs[i] = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=workload-" + i), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
        }
        tbs = new byte[420]; // about a leaf's TBSCertificate
        random.nextBytes(tbs);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public IssuedCertificate issueThroughput(Cursor cursor) throws RequestRejectedException, IssuanceException {
        return issue(cursor);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public IssuedCertificate issueLatency(Cursor cursor) throws RequestRejectedException, IssuanceException {
        return issue(cursor);
    }

    /** One ECDSA P-256 signature by the CA key through the chosen provider, nothing else. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public byte[] signOnly() throws GeneralSecurityException, IOException {
        ContentSigner contentSigner = signer.contentSigner(ca);
        try (OutputStream out = contentSigner.getOutputStream()) {
            out.write(tbs);
        }
        return contentSigner.getSignature();
    }

    private IssuedCertificate issue(Cursor cursor) throws RequestRejectedException, IssuanceException {
        byte[] csr = csrs[cursor.next++ & (CSRS - 1)];
        VerifiedPublicKey key = verifier.verify(csr);
        return issuer.issue(new IssuanceRequest(key, identity, policy, trustDomain, ca, RequestedLifetime.ANY));
    }
}
