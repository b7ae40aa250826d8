package dev.twofold.operator.workload.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofold.operator.workload.Keys;
import dev.twofold.operator.workload.TestCertificates;
import dev.twofold.operator.workload.TestClock;
import dev.twofold.operator.workload.Workloads;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link CaFactory}: the CA certificates' profile, self-signed and intermediate. */
class CaFactoryTest {

    static final Duration YEAR = Duration.ofHours(8760);
    final TestClock clock = new TestClock(Workloads.NOW);
    final CaFactory factory = new CaFactory(clock, new SecureRandom());

    @Test
    @DisplayName("a self-signed root is an ECDSA P-256 CA for the trust domain, backdated a minute")
    void selfSigned() throws Exception {
        CertificateAuthority ca = factory.selfSigned("prod.example.com", YEAR);
        X509Certificate certificate = ca.certificate();

        assertThat(ca.chain()).containsExactly(certificate);
        assertThat(ca.trustAnchor()).isSameAs(certificate);
        assertThat(certificate.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize())
                .isEqualTo(256);
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(certificate.getBasicConstraints()).isZero();
        assertThat(certificate.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        assertThat(certificate.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false,
                false);
        assertThat(certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
        assertThat(certificate.getSubjectAlternativeNames()).containsExactly(List.of(6, "spiffe://prod.example.com"));
        assertThat(certificate.getSubjectX500Principal().getName()).startsWith("2.5.4.5=") // serialNumber
                .endsWith(",OU=prod.example.com,O=Twofold");
        assertThat(ca.notBefore()).isEqualTo(Workloads.NOW.minus(CaFactory.BACKDATE));
        assertThat(ca.lifetime()).isEqualTo(YEAR);
        assertThat(certificate.getSerialNumber().signum()).isPositive();
        certificate.verify(certificate.getPublicKey());
        assertThat(ca.toString()).doesNotContain("PrivateKey").contains("fingerprint=" + ca.fingerprint());
    }

    @Test
    @DisplayName("two roots of one trust domain never share a subject (rotated CAs stay distinguishable)")
    void uniqueSubjects() {
        assertThat(factory.selfSigned("td", YEAR).certificate().getSubjectX500Principal())
                .isNotEqualTo(factory.selfSigned("td", YEAR).certificate().getSubjectX500Principal());
    }

    @Test
    @DisplayName("an intermediate is signed by the root, pathLen 0, name-constrained to the trust domain")
    void intermediate() throws Exception {
        CertificateAuthority root = TestCertificates.root("corp", Workloads.NOW.minus(Duration.ofDays(1)),
                Duration.ofHours(87_600), 1);
        CertificateAuthority ca = factory.intermediate("prod.example.com", YEAR, root);
        X509Certificate certificate = ca.certificate();

        assertThat(ca.chain()).containsExactly(certificate, root.certificate());
        assertThat(ca.trustAnchor()).isEqualTo(root.certificate());
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(root.certificate().getSubjectX500Principal());
        assertThat(certificate.getBasicConstraints()).isZero();
        byte[] constraints = certificate.getExtensionValue(Extension.nameConstraints.getId());
        assertThat(certificate.getCriticalExtensionOIDs()).contains(Extension.nameConstraints.getId());
        NameConstraints parsed = NameConstraints.getInstance(ASN1OctetString.getInstance(constraints).getOctets());
        assertThat(parsed.getPermittedSubtrees()).extracting(GeneralSubtree::getBase).containsExactly(
                new GeneralName(GeneralName.uniformResourceIdentifier, "prod.example.com"));
        assertThat(parsed.getExcludedSubtrees()).isNull();
        certificate.verify(root.publicKey());

        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root.certificate(), null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(Workloads.NOW));
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate)), parameters);
    }

    @Test
    @DisplayName("an intermediate never outlives its root")
    void cappedByRoot() throws CaMaterialException {
        CertificateAuthority root = TestCertificates.root("corp", Workloads.NOW, Duration.ofHours(1000), 1);

        CertificateAuthority ca = factory.intermediate("td", YEAR, root);

        assertThat(ca.notAfter()).isEqualTo(root.notAfter());
    }

    @Test
    @DisplayName("a root that cannot sign intermediates is refused with the reason")
    void unusableRoots() {
        CertificateAuthority pathLenZero = factory.selfSigned("corp", YEAR);
        assertThatThrownBy(() -> factory.intermediate("td", YEAR, pathLenZero))
                .isInstanceOf(CaMaterialException.class)
                .hasMessage("the root certificate has pathLenConstraint 0, so it cannot sign an intermediate CA")
                .extracting(e -> ((CaMaterialException) e).reason()).isEqualTo(CaMaterialException.Reason.NOT_A_CA);

        CertificateAuthority notCa = CertificateAuthority.of(List.of(TestCertificates.issue(pathLenZero,
                Keys.p256().getPublic(), new X500Name("CN=leaf"), Workloads.NOW, Workloads.NOW.plus(YEAR),
                BigInteger.TEN, b -> b)), Keys.p256().getPrivate());
        assertThatThrownBy(() -> factory.intermediate("td", YEAR, notCa))
                .hasMessage("the root certificate is not a CA (basicConstraints cA is not true)");

        CertificateAuthority root = TestCertificates.root("corp", Workloads.NOW, Duration.ofHours(48), 1);
        clock.advance(Duration.ofHours(49));
        assertThatThrownBy(() -> factory.intermediate("td", YEAR, root))
                .hasMessage("the root certificate is valid from 2026-03-01T12:00:00Z to 2026-03-03T12:00:00Z, not now "
                        + "(2026-03-03T13:00:00Z)")
                .extracting(e -> ((CaMaterialException) e).reason())
                .isEqualTo(CaMaterialException.Reason.NOT_VALID_NOW);
    }
}
