package dev.twofold.operator.workload.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofold.api.v1alpha1.KeyType;
import dev.twofold.api.v1alpha1.TrustDomain;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.operator.workload.Csrs;
import dev.twofold.operator.workload.Keys;
import dev.twofold.operator.workload.TestCertificates;
import dev.twofold.operator.workload.TestClock;
import dev.twofold.operator.workload.WorkloadIdentity;
import dev.twofold.operator.workload.Workloads;
import dev.twofold.operator.workload.ca.CaFactory;
import dev.twofold.operator.workload.ca.CertificateAuthority;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link WorkloadIssuer}: the X509-SVID profile, built from policy only, with lifetimes from a fixed clock. */
class WorkloadIssuerTest {

    static final Instant NOW = Workloads.NOW;
    static final CertificateAuthority CA = new CaFactory(new TestClock(NOW.minus(Duration.ofDays(10))),
            new SecureRandom()).selfSigned(Workloads.TRUST_DOMAIN, Duration.ofHours(8760));

    final TestClock clock = new TestClock(NOW);
    final WorkloadIssuer issuer = new WorkloadIssuer(clock, new SecureRandom(),
            JcaCaSigner.jdk(new SecureRandom()), CertificateProfileValidator.bouncyCastle());

    static IssuanceRequest request(KeyPair keys, KeyType type, WorkloadCertificatePolicy policy,
            TrustDomain trustDomain, CertificateAuthority ca, RequestedLifetime lifetime) {
        return new IssuanceRequest(new VerifiedPublicKey(keys.getPublic(), type), Workloads.identity(), policy,
                trustDomain, ca, lifetime);
    }

    static IssuanceRequest request(WorkloadCertificatePolicy policy) {
        return request(Keys.p256(), KeyType.ECDSAP256, policy, Workloads.trustDomain(), CA, RequestedLifetime.ANY);
    }

    @Test
    @DisplayName("the issued certificate has the X509-SVID leaf profile")
    void profile() throws Exception {
        IssuedCertificate issued = issuer.issue(request(Workloads.policy(
                "dnsNameTemplates: [\"{{serviceAccount}}.{{namespace}}.svc\", "
                        + "\"{{podName}}.web.{{namespace}}.svc\"]")));
        X509Certificate leaf = issued.certificate();

        assertThat(issued.chain()).containsExactly(leaf);
        assertThat(issued.spiffeId()).isEqualTo("spiffe://prod.example.com/ns/demo/sa/web");
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(
                List.of(6, "spiffe://prod.example.com/ns/demo/sa/web"),
                List.of(2, "web.demo.svc"), List.of(2, "web-0.web.demo.svc"));
        assertThat(leaf.getSubjectX500Principal().getName()).isEmpty();
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(CA.certificate().getSubjectX500Principal());
        assertThat(leaf.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.17", "2.5.29.19", "2.5.29.15");
        assertThat(leaf.getNonCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.37", "2.5.29.14",
                "2.5.29.35");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getKeyUsage()).containsExactly(true, false, false, false, false, false, false, false, false);
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(KeyIdentifiers.authorityKeyId(leaf)).isEqualTo(KeyIdentifiers.subjectKeyId(CA.certificate()));
        assertThat(KeyIdentifiers.subjectKeyId(leaf)).isEqualTo(KeyIdentifiers.of(Keys.p256().getPublic()));
        assertThat(leaf.getPublicKey().getEncoded()).isEqualTo(Keys.p256().getPublic().getEncoded());
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(leaf.getVersion()).isEqualTo(3);
        assertThat(leaf.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(1)));
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(59)));
        assertThat(issued.beginRefreshAt()).isEqualTo(NOW.plus(Duration.ofMinutes(29)));
        leaf.verify(CA.publicKey());
        assertThat(CertificateProfileValidator.bouncyCastle().violations(issued.chain(), List.of(CA.certificate()),
                new ExpectedLeaf(issued.spiffeId(), issued.dnsNames(), Keys.p256().getPublic(), Duration.ofHours(1)),
                NOW)).isEmpty();
    }

    @Test
    @DisplayName("serial numbers are positive, random, at most 128 bits, and at least 64")
    void serials() throws IssuanceException {
        Set<BigInteger> serials = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            BigInteger serial = issuer.issue(request(Workloads.policy())).serialNumber();
            assertThat(serial.signum()).isPositive();
            assertThat(serial.bitLength()).isBetween(64, 128);
            serials.add(serial);
        }
        assertThat(serials).hasSize(50);
    }

    @Test
    @DisplayName("RSA keys also get keyEncipherment; Ed25519 keys only digitalSignature")
    void keyUsageByKeyType() throws IssuanceException {
        WorkloadCertificatePolicy policy = Workloads.policy("keyTypes: [RSA2048, ED25519]");

        X509Certificate rsa = issuer.issue(request(Keys.rsa(2048), KeyType.RSA2048, policy, Workloads.trustDomain(),
                CA, RequestedLifetime.ANY)).certificate();
        X509Certificate ed = issuer.issue(request(Keys.ed25519(), KeyType.ED25519, policy, Workloads.trustDomain(),
                CA, RequestedLifetime.ANY)).certificate();

        assertThat(rsa.getKeyUsage()).startsWith(true, false, true, false, false, false, false);
        assertThat(ed.getKeyUsage()).startsWith(true, false, false, false, false, false, false);
    }

    @Test
    @DisplayName("a greedy CSR contributes its key only: no requested SAN, CA flag or usage reaches the certificate")
    void csrExtensionsIgnored() throws Exception {
        VerifiedPublicKey key = new CsrVerifier(new SignatureVerifier()).verify(Csrs.greedy(Keys.p256()));

        IssuedCertificate issued = issuer.issue(new IssuanceRequest(key, Workloads.identity(), Workloads.policy(),
                Workloads.trustDomain(), CA, RequestedLifetime.ANY));

        X509Certificate leaf = issued.certificate();
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(
                List.of(6, "spiffe://prod.example.com/ns/demo/sa/web"));
        assertThat(leaf.getSubjectX500Principal().getName()).isEmpty();
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getKeyUsage()[5]).isFalse();
        assertThat(leaf.getExtensionValue("1.2.840.113549.1.9.7")).isNull();
    }

    @Test
    @DisplayName("a request for another namespace's SPIFFE ID is refused, naming the identity policy gives the pod")
    void foreignIdentityRefused() throws Exception {
        VerifiedPublicKey key = new CsrVerifier(new SignatureVerifier()).verify(Csrs.askingFor(Keys.p256(),
                "spiffe://prod.example.com/ns/kube-system/sa/admin"));

        assertThatThrownBy(() -> issuer.issue(new IssuanceRequest(key, Workloads.identity(), Workloads.policy(),
                Workloads.trustDomain(), CA, RequestedLifetime.ANY)))
                .isInstanceOfSatisfying(IssuanceException.class, e -> {
                    assertThat(e.reason()).isEqualTo(IssuanceException.Reason.IDENTITY_MISMATCH);
                    assertThat(e.getMessage()).startsWith("the request asks for "
                            + "[spiffe://prod.example.com/ns/kube-system/sa/admin], but policy ")
                            .contains("the identity spiffe://prod.example.com/ns/demo/sa/web");
                });
    }

    @Test
    @DisplayName("a request for exactly the pod's own SPIFFE ID is issued")
    void ownIdentityRequested() throws Exception {
        VerifiedPublicKey key = new CsrVerifier(new SignatureVerifier()).verify(Csrs.askingFor(Keys.p256(),
                "spiffe://prod.example.com/ns/demo/sa/web"));

        IssuedCertificate issued = issuer.issue(new IssuanceRequest(key, Workloads.identity(), Workloads.policy(),
                Workloads.trustDomain(), CA, RequestedLifetime.ANY));

        assertThat(issued.spiffeId()).isEqualTo("spiffe://prod.example.com/ns/demo/sa/web");
    }

    static Stream<Arguments> lifetimes() {
        return Stream.of(
                Arguments.of("no ttl: the trust domain's default", "", "", RequestedLifetime.ANY,
                        Duration.ofHours(1)),
                Arguments.of("the policy's ttl", "ttl: 2h", "", RequestedLifetime.ANY, Duration.ofHours(2)),
                Arguments.of("a ttl above the trust domain's max is clamped", "ttl: 20h",
                        "workloadTtl: {max: 12h}", RequestedLifetime.ANY, Duration.ofHours(12)),
                Arguments.of("a ttl below the trust domain's min is clamped", "ttl: 2m", "workloadTtl: {min: 5m}",
                        RequestedLifetime.ANY, Duration.ofMinutes(5)),
                Arguments.of("a PodCertificateRequest's maxExpirationSeconds caps it", "ttl: 20h", "",
                        RequestedLifetime.forPodCertificateRequest(7200), Duration.ofHours(2)),
                Arguments.of("a PodCertificateRequest gets at least 1h", "ttl: 15m", "",
                        RequestedLifetime.forPodCertificateRequest(86400), Duration.ofHours(1)),
                Arguments.of("a CSR's expirationSeconds caps it", "", "",
                        RequestedLifetime.forCertificateSigningRequest(900), Duration.ofMinutes(15)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lifetimes")
    @DisplayName("lifetime (notAfter - notBefore) from policy, trust domain and request path")
    void lifetime(String description, String policyYaml, String trustDomainYaml, RequestedLifetime requested,
            Duration expected) throws IssuanceException {
        IssuedCertificate issued = issuer.issue(request(Keys.p256(), KeyType.ECDSAP256, Workloads.policy(policyYaml),
                Workloads.trustDomain(trustDomainYaml), CA, requested));

        assertThat(Duration.between(issued.notBefore(), issued.notAfter())).isEqualTo(expected);
        Duration backdate = expected.dividedBy(10).compareTo(WorkloadIssuer.BACKDATE) < 0
                ? expected.dividedBy(10) : WorkloadIssuer.BACKDATE;
        assertThat(issued.notBefore()).isEqualTo(NOW.minus(backdate));
    }

    @Test
    @DisplayName("a short-lived certificate is backdated a tenth of its life, so it is still valid for most of it")
    void shortLivedBackdate() throws IssuanceException {
        IssuedCertificate issued = issuer.issue(request(Keys.p256(), KeyType.ECDSAP256,
                Workloads.policy("ttl: 1m"), Workloads.trustDomain("workloadTtl: {min: 1m}"), CA,
                RequestedLifetime.ANY));

        assertThat(issued.notBefore()).isEqualTo(NOW.minus(Duration.ofSeconds(6)));
        assertThat(issued.notAfter()).isEqualTo(NOW.plus(Duration.ofSeconds(54)));
        assertThat(issued.beginRefreshAt()).isEqualTo(NOW.plus(Duration.ofSeconds(24)));
    }

    @Test
    @DisplayName("notAfter never passes the CA's notAfter")
    void cappedByCa() throws IssuanceException {
        clock.set(CA.notAfter().minus(Duration.ofMinutes(20)));

        IssuedCertificate issued = issuer.issue(request(Workloads.policy()));

        assertThat(issued.notAfter()).isEqualTo(CA.notAfter());
        assertThat(issued.certificate().getNotAfter().toInstant()).isEqualTo(CA.notAfter());
    }

    @Test
    @DisplayName("an intermediate CA's certificates chain to the user's root; the chain carries the intermediate")
    void intermediateChain() throws Exception {
        CertificateAuthority root = TestCertificates.root("corp", NOW.minus(Duration.ofDays(30)),
                Duration.ofDays(3650), 1);
        CertificateAuthority intermediate = new CaFactory(clock, new SecureRandom())
                .intermediate(Workloads.TRUST_DOMAIN, Duration.ofHours(8760), root);

        IssuedCertificate issued = issuer.issue(request(Keys.p256(), KeyType.ECDSAP256,
                Workloads.policy("dnsNameTemplates: [\"{{serviceAccount}}.{{namespace}}.svc\"]"),
                Workloads.trustDomain(), intermediate, RequestedLifetime.ANY));

        assertThat(issued.chain()).containsExactly(issued.certificate(), intermediate.certificate());
        // The URI name constraint leaves DNS names unconstrained: the DNS SAN passes path validation too.
        assertThat(CertificateProfileValidator.jdk().violations(issued.chain(), List.of(root.certificate()),
                new ExpectedLeaf(issued.spiffeId(), List.of("web.demo.svc"), Keys.p256().getPublic(),
                        Duration.ofHours(1)), NOW)).isEmpty();
    }

    @Test
    @DisplayName("the intermediate's name constraints hold: a leaf for another trust domain fails path validation")
    void nameConstraintsEnforced() throws Exception {
        CertificateAuthority root = TestCertificates.root("corp", NOW.minus(Duration.ofDays(30)),
                Duration.ofDays(3650), 1);
        CertificateAuthority intermediate = new CaFactory(clock, new SecureRandom())
                .intermediate(Workloads.TRUST_DOMAIN, Duration.ofHours(8760), root);
        // A mix-up (the intermediate of one trust domain asked to sign for another) is caught before hand-out.
        IssuanceRequest foreign = request(Keys.p256(), KeyType.ECDSAP256, Workloads.policy(),
                TrustDomain.of("evil", Workloads.trustDomainSpec("trustDomain: evil.example.com")), intermediate,
                RequestedLifetime.ANY);

        assertThatThrownBy(() -> issuer.issue(foreign))
                .hasMessage("the issued certificate failed re-validation: path validation failed: name constraints "
                        + "check failed")
                .extracting(e -> ((IssuanceException) e).reason())
                .isEqualTo(IssuanceException.Reason.VALIDATION_FAILED);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("a template escaping the namespace (an object that bypassed validation)",
                        Workloads.policy("spiffeIdTemplate: \"spiffe://{{trustDomain}}/ns/kube-system/sa/admin\""),
                        Workloads.identity(), IssuanceException.Reason.POLICY_INVALID,
                        "policy demo/web: spec.spiffeIdTemplate must start with spiffe://{{trustDomain}}/ns/"
                                + "{{namespace}}/sa/{{serviceAccount}}; got \"spiffe://{{trustDomain}}/ns/kube-system/"
                                + "sa/admin\""),
                Arguments.of("a template climbing with ..", Workloads.policy("spiffeIdTemplate: "
                                + "\"spiffe://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}}/../../../other\""),
                        Workloads.identity(), IssuanceException.Reason.POLICY_INVALID,
                        "policy demo/web: spec.spiffeIdTemplate must not have '.' or '..' path segments"),
                Arguments.of("a label the pod lacks", Workloads.policy("spiffeIdTemplate: "
                                + "\"spiffe://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}}/"
                                + "{{podLabel.version}}\""),
                        Workloads.identity(), IssuanceException.Reason.TEMPLATE_RENDERING,
                        "policy demo/web: spec.spiffeIdTemplate pod demo/web-0 has no label version"),
                Arguments.of("a label value that is not a DNS label", Workloads.policy(
                                "dnsNameTemplates: [\"{{podLabel.tier}}.{{namespace}}.svc\"]"),
                        new WorkloadIdentity("demo", "web", "web-0", Workloads.POD_UID, "node-1",
                                Map.of("app", "web", "tier", "Front_End")),
                        IssuanceException.Reason.TEMPLATE_RENDERING, "policy demo/web: spec.dnsNameTemplates[0] "
                                + "renders to \"Front_End.demo.svc\", which is not a lower-case DNS name (labels of "
                                + "a-z, 0-9, '-', at most 63 characters each, 253 in all)"),
                Arguments.of("a key type the policy does not allow", Workloads.policy("keyTypes: [ED25519]"),
                        Workloads.identity(), IssuanceException.Reason.KEY_TYPE_NOT_ALLOWED,
                        "policy demo/web allows [ED25519] keys, not ECDSAP256"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    @DisplayName("what policy or pod make impossible is refused with a typed reason")
    void refuses(String description, WorkloadCertificatePolicy policy, WorkloadIdentity identity,
            IssuanceException.Reason reason, String message) {
        IssuanceRequest request = new IssuanceRequest(new VerifiedPublicKey(Keys.p256().getPublic(),
                KeyType.ECDSAP256), identity, policy, Workloads.trustDomain(), CA, RequestedLifetime.ANY);

        assertThatThrownBy(() -> issuer.issue(request))
                .isInstanceOf(IssuanceException.class)
                .hasMessage(message)
                .extracting(e -> ((IssuanceException) e).reason()).isEqualTo(reason);
    }

    @Test
    @DisplayName("PodCertificateRequests cannot be served when the trust domain caps lifetimes under 1h")
    void podCertificateFloor() {
        IssuanceRequest request = request(Keys.p256(), KeyType.ECDSAP256, Workloads.policy(),
                Workloads.trustDomain("workloadTtl: {min: 10m, max: 30m, default: 15m}"), CA,
                RequestedLifetime.forPodCertificateRequest(86400));

        assertThatThrownBy(() -> issuer.issue(request)).hasMessage("the request needs a lifetime of at least 1h but "
                + "the trust domain allows at most 30m")
                .extracting(e -> ((IssuanceException) e).reason())
                .isEqualTo(IssuanceException.Reason.LIFETIME_UNSATISFIABLE);
    }

    @Test
    @DisplayName("a CA about to expire cannot serve a PodCertificateRequest's 1h minimum")
    void caTooCloseToExpiry() {
        clock.set(CA.notAfter().minus(Duration.ofMinutes(30)));
        IssuanceRequest request = request(Keys.p256(), KeyType.ECDSAP256, Workloads.policy(),
                Workloads.trustDomain(), CA, RequestedLifetime.forPodCertificateRequest(86400));

        assertThatThrownBy(() -> issuer.issue(request)).hasMessage("the CA expires at " + CA.notAfter()
                + ", too soon for a certificate of at least 1h");
    }

    @Test
    @DisplayName("an expired CA issues nothing")
    void expiredCa() {
        clock.set(CA.notAfter());

        assertThatThrownBy(() -> issuer.issue(request(Workloads.policy())))
                .extracting(e -> ((IssuanceException) e).reason()).isEqualTo(IssuanceException.Reason.CA_NOT_VALID);
    }

    @Test
    @DisplayName("a signer that produces a broken certificate is caught by re-validation")
    void revalidation() {
        CertificateAuthority impostor = new CaFactory(clock, new SecureRandom())
                .selfSigned("other", Duration.ofDays(30));
        // Signs with another CA's key while the certificate names CA as issuer: the signature cannot verify.
        CaSigner wrongKey = ca -> JcaCaSigner.jdk(new SecureRandom()).contentSigner(impostor);
        WorkloadIssuer broken = new WorkloadIssuer(clock, new SecureRandom(), wrongKey,
                CertificateProfileValidator.bouncyCastle());

        assertThatThrownBy(() -> broken.issue(request(Workloads.policy())))
                .hasMessageStartingWith("the issued certificate failed re-validation: path validation failed: ")
                .extracting(e -> ((IssuanceException) e).reason())
                .isEqualTo(IssuanceException.Reason.VALIDATION_FAILED);
    }
}
