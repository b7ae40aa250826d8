package dev.twofold.operator.workload.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.operator.workload.Keys;
import dev.twofold.operator.workload.TestCertificates;
import dev.twofold.operator.workload.TestClock;
import dev.twofold.operator.workload.Workloads;
import dev.twofold.operator.workload.ca.CaFactory;
import dev.twofold.operator.workload.ca.CertificateAuthority;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link CertificateProfileValidator} finds what a broken issuer could get wrong. Each case builds a certificate that
 * is right but for one thing.
 */
class CertificateProfileValidatorTest {

    static final Instant NOW = Workloads.NOW;
    static final String ID = "spiffe://prod.example.com/ns/demo/sa/web";
    static final CaFactory FACTORY = new CaFactory(new TestClock(NOW.minus(Duration.ofDays(1))), new SecureRandom());
    static final CertificateAuthority CA = FACTORY.selfSigned("prod.example.com", Duration.ofDays(365));
    static final CertificateAuthority OTHER_CA = FACTORY.selfSigned("other.example.com", Duration.ofDays(365));
    static final PublicKey KEY = Keys.p256().getPublic();
    static final ExpectedLeaf EXPECTED = new ExpectedLeaf(ID, List.of(), KEY, Duration.ofHours(1));
    static final BigInteger SERIAL = new BigInteger("0123456789abcdef0123456789abcdef", 16);

    /** What a leaf is made of; the defaults are the correct profile. */
    record Leaf(CertificateAuthority signer, PublicKey key, BigInteger serial, Instant notAfter,
            GeneralName[] names, boolean sanCritical, BasicConstraints constraints, int keyUsage,
            KeyPurposeId[] purposes, byte[] authorityKeyId, boolean extraExtension) {

        static Leaf good() {
            return new Leaf(CA, KEY, SERIAL, NOW.plus(Duration.ofMinutes(59)),
                    new GeneralName[] {new GeneralName(GeneralName.uniformResourceIdentifier, ID)}, true,
                    new BasicConstraints(false), KeyUsage.digitalSignature,
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth},
                    KeyIdentifiers.subjectKeyId(CA.certificate()), false);
        }

        X509Certificate build() {
            UnaryOperator<X509v3CertificateBuilder> extensions = b -> {
                try {
                    b.addExtension(Extension.subjectAlternativeName, sanCritical, new GeneralNames(names))
                            .addExtension(Extension.basicConstraints, true, constraints)
                            .addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage))
                            .addExtension(Extension.subjectKeyIdentifier, false,
                                    new SubjectKeyIdentifier(KeyIdentifiers.of(key)))
                            .addExtension(Extension.authorityKeyIdentifier, false,
                                    new AuthorityKeyIdentifier(authorityKeyId));
                    if (purposes.length > 0) {
                        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
                    }
                    if (extraExtension) {
                        b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), false,
                                new DERUTF8String("copied from a CSR"));
                    }
                    return b;
                } catch (CertIOException e) {
                    throw new IllegalStateException(e);
                }
            };
            return TestCertificates.issue(signer, key, new X500Name(new org.bouncycastle.asn1.x500.RDN[0]),
                    NOW.minus(Duration.ofMinutes(1)), notAfter, serial, extensions);
        }
    }

    static final List<CertificateProfileValidator> VALIDATORS = List.of(CertificateProfileValidator.jdk(),
            CertificateProfileValidator.bouncyCastle());

    /**
     * The JDK-backed validator's violations. The BouncyCastle-backed one must find the same profile violations; its
     * anchors are (name, key) pairs, so path validation words failures differently and cannot match anchors by AKI
     * (the profile check reports AKI mismatches either way).
     */
    static List<String> check(Leaf leaf) {
        X509Certificate certificate = leaf.build();
        List<String> jdk = VALIDATORS.get(0).violations(List.of(certificate), List.of(CA.certificate()), EXPECTED, NOW);
        List<String> bc = VALIDATORS.get(1).violations(List.of(certificate), List.of(CA.certificate()), EXPECTED, NOW);
        assertThat(bc.stream().filter(v -> !v.startsWith("path validation")).toList())
                .as("BouncyCastle-backed profile checks agree with the JDK's")
                .isEqualTo(jdk.stream().filter(v -> !v.startsWith("path validation")).toList());
        if (bc.stream().anyMatch(v -> v.startsWith("path validation"))) {
            assertThat(jdk).anyMatch(v -> v.startsWith("path validation"));
        }
        return jdk;
    }

    @Test
    @DisplayName("the reference leaf has no violations")
    void good() {
        assertThat(check(Leaf.good())).isEmpty();
    }

    static Stream<Arguments> broken() {
        Leaf g = Leaf.good();
        GeneralName uri = new GeneralName(GeneralName.uniformResourceIdentifier, ID);
        return Stream.of(
                Arguments.of("a leaf that is a CA", new Leaf(g.signer(), g.key(), g.serial(), g.notAfter(), g.names(),
                        true, new BasicConstraints(true), g.keyUsage(), g.purposes(), g.authorityKeyId(), false),
                        List.of("basicConstraints says CA:true")),
                Arguments.of("two URI SANs", withNames(g, uri, new GeneralName(GeneralName.uniformResourceIdentifier,
                        "spiffe://prod.example.com/ns/kube-system/sa/admin")),
                        List.of("must have exactly one URI SAN, has 2")),
                Arguments.of("another SPIFFE ID", withNames(g, new GeneralName(GeneralName.uniformResourceIdentifier,
                        "spiffe://prod.example.com/ns/demo/sa/admin")),
                        List.of("URI SAN is spiffe://prod.example.com/ns/demo/sa/admin, expected " + ID)),
                Arguments.of("an unexpected DNS SAN", withNames(g, uri, new GeneralName(GeneralName.dNSName,
                        "kubernetes.default.svc")), List.of("DNS SANs are [kubernetes.default.svc], expected []")),
                Arguments.of("an e-mail SAN", withNames(g, uri, new GeneralName(GeneralName.rfc822Name, "a@b.c")),
                        List.of("subjectAltName has a name of type 1 (only URI and DNS are issued)")),
                Arguments.of("keyCertSign on a leaf", withKeyUsage(g, KeyUsage.digitalSignature | KeyUsage.keyCertSign),
                        List.of("keyUsage has keyCertSign or cRLSign")),
                Arguments.of("no digitalSignature", withKeyUsage(g, KeyUsage.keyAgreement),
                        List.of("keyUsage lacks digitalSignature")),
                Arguments.of("keyEncipherment on an EC key", withKeyUsage(g,
                        KeyUsage.digitalSignature | KeyUsage.keyEncipherment),
                        List.of("keyUsage has keyEncipherment for a non-RSA key")),
                Arguments.of("only serverAuth", new Leaf(g.signer(), g.key(), g.serial(), g.notAfter(), g.names(),
                        true, g.constraints(), g.keyUsage(), new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth},
                        g.authorityKeyId(), false), List.of("extendedKeyUsage must contain serverAuth and clientAuth")),
                Arguments.of("no extended key usage", new Leaf(g.signer(), g.key(), g.serial(), g.notAfter(),
                        g.names(), true, g.constraints(), g.keyUsage(), new KeyPurposeId[0], g.authorityKeyId(),
                        false), List.of("extendedKeyUsage must contain serverAuth and clientAuth")),
                Arguments.of("another key than requested", new Leaf(g.signer(), Keys.ec("secp384r1").getPublic(),
                        g.serial(), g.notAfter(), g.names(), true, g.constraints(), g.keyUsage(), g.purposes(),
                        g.authorityKeyId(), false), List.of("the certified key is not the requested one")),
                Arguments.of("a lifetime over the maximum", new Leaf(g.signer(), g.key(), g.serial(),
                        NOW.plus(Duration.ofHours(2)), g.names(), true, g.constraints(), g.keyUsage(), g.purposes(),
                        g.authorityKeyId(), false), List.of("lifetime PT2H1M exceeds PT1H")),
                Arguments.of("a small serial", new Leaf(g.signer(), g.key(), BigInteger.valueOf(12345), g.notAfter(),
                        g.names(), true, g.constraints(), g.keyUsage(), g.purposes(), g.authorityKeyId(), false),
                        List.of("serial number must be positive with 64 to 159 bits, has 14")),
                Arguments.of("an extension copied from a request", new Leaf(g.signer(), g.key(), g.serial(),
                        g.notAfter(), g.names(), true, g.constraints(), g.keyUsage(), g.purposes(), g.authorityKeyId(),
                        true), List.of("unexpected extensions [1.3.6.1.4.1.99999.1]")),
                Arguments.of("an AKI naming another key", new Leaf(g.signer(), g.key(), g.serial(), g.notAfter(),
                        g.names(), true, g.constraints(), g.keyUsage(), g.purposes(),
                        KeyIdentifiers.subjectKeyId(OTHER_CA.certificate()), false),
                        // The JDK's path validation matches anchors by AKI too, so it fails as well.
                        List.of("path validation failed: Path does not chain with any of the trust anchors",
                                "authorityKeyIdentifier does not match the issuer's key identifier")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    @DisplayName("each deviation from the profile is named")
    void violations(String description, Leaf leaf, List<String> expected) {
        assertThat(check(leaf)).containsExactlyElementsOf(expected);
    }

    @Test
    @DisplayName("a leaf signed by another trust domain's CA fails path validation to this bundle")
    void otherCa() {
        Leaf g = Leaf.good();
        Leaf foreign = new Leaf(OTHER_CA, g.key(), g.serial(), g.notAfter(), g.names(), true, g.constraints(),
                g.keyUsage(), g.purposes(), KeyIdentifiers.subjectKeyId(OTHER_CA.certificate()), false);

        assertThat(check(foreign)).singleElement().asString().startsWith("path validation failed: ");
    }

    @Test
    @DisplayName("an expired leaf is reported by path validation and by the profile")
    void expired() {
        Leaf g = Leaf.good();
        X509Certificate leaf = g.build();

        assertThat(CertificateProfileValidator.jdk().violations(List.of(leaf), List.of(CA.certificate()), EXPECTED,
                NOW.plus(Duration.ofHours(1)))).containsExactly(
                "path validation failed: validity check failed",
                "not valid at 2026-03-01T13:00:00Z (valid 2026-03-01T11:59:00Z to 2026-03-01T12:59:00Z)");
    }

    static Leaf withNames(Leaf g, GeneralName... names) {
        return new Leaf(g.signer(), g.key(), g.serial(), g.notAfter(), names, true, g.constraints(), g.keyUsage(),
                g.purposes(), g.authorityKeyId(), false);
    }

    static Leaf withKeyUsage(Leaf g, int keyUsage) {
        return new Leaf(g.signer(), g.key(), g.serial(), g.notAfter(), g.names(), true, g.constraints(), keyUsage,
                g.purposes(), g.authorityKeyId(), false);
    }
}
