package dev.twofold.operator.workload.issuer;

import dev.twofold.operator.workload.ca.CertificateAuthority;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.RDN;
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
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

/**
 * The X509-SVID leaf profile, built from policy values only: empty subject with exactly one URI SAN (critical, as RFC
 * 5280 §4.1.2.6 requires for an empty subject) plus policy DNS SANs, basicConstraints CA:false (critical), key usage
 * digitalSignature (+ keyEncipherment for RSA keys; critical), EKU serverAuth + clientAuth, SKI and AKI.
 */
final class LeafCertificateBuilder {

    private static final X500Name EMPTY_SUBJECT = new X500Name(new RDN[0]);

    private LeafCertificateBuilder() {
    }

    static X509Certificate build(CertificateAuthority ca, PublicKey subjectKey, BigInteger serial, Instant notBefore,
            Instant notAfter, String spiffeId, List<String> dnsNames, ContentSigner signer)
            throws GeneralSecurityException {
        GeneralName[] names = new GeneralName[1 + dnsNames.size()];
        names[0] = new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId);
        for (int i = 0; i < dnsNames.size(); i++) {
            names[i + 1] = new GeneralName(GeneralName.dNSName, dnsNames.get(i));
        }
        int keyUsage = KeyUsage.digitalSignature | (subjectKey instanceof RSAPublicKey ? KeyUsage.keyEncipherment : 0);
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                    X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), serial,
                    Date.from(notBefore), Date.from(notAfter), EMPTY_SUBJECT,
                    SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded()))
                    .addExtension(Extension.subjectAlternativeName, true, new GeneralNames(names))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new SubjectKeyIdentifier(KeyIdentifiers.of(subjectKey)))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            new AuthorityKeyIdentifier(KeyIdentifiers.forIssuer(ca.certificate())));
            byte[] der = builder.build(signer).getEncoded();
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (IOException e) {
            throw new GeneralSecurityException("encoding the certificate failed", e);
        }
    }
}
