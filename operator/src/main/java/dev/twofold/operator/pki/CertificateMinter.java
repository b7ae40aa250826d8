package dev.twofold.operator.pki;

import dev.twofold.operator.config.ServingSans;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Mints the webhook's CA (ECDSA P-256, self-signed) and serving certificates with BouncyCastle. Randomness (keys and
 * serial numbers) comes from the injected {@link SecureRandom}; time is passed in, never read here.
 *
 * <p>Templates come from policy only (STYLE 8): notBefore backdated a little, a leaf's notAfter capped at its CA's,
 * SKI/AKI, 127-bit random serials, and leaves that can neither sign certificates nor act as clients. Every minted
 * certificate is checked against its issuer before it is returned.
 */
public final class CertificateMinter {

    private final SecureRandom random;

    public CertificateMinter(SecureRandom random) {
        this.random = random;
    }

    /** A fresh self-signed CA valid from about {@code now} for {@code lifetime}. */
    public CertificateAuthority newCa(Instant now, Duration lifetime) {
        KeyPair keys = newKeyPair();
        Instant notBefore = now.minus(Lifetimes.backdate(lifetime));
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Twofold")
                // kube-ca style: a timestamp tells successive CAs apart in bundles and in openssl output
                .addRDN(BCStyle.CN, "twofold-webhook-ca@" + now.getEpochSecond())
                .build();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(notBefore), Date.from(now.plus(lifetime)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = sign(builder, keys.getPrivate(), keys.getPublic());
            return new CertificateAuthority(certificate, keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("could not mint a CA certificate", e);
        }
    }

    /** A serving certificate for {@code sans}, signed by {@code ca}, valid for {@code lifetime} or until ca expires. */
    public ServingCertificate newServingCertificate(CertificateAuthority ca, ServingSans sans, Instant now,
            Duration lifetime) {
        KeyPair keys = newKeyPair();
        Instant notBefore = latest(now.minus(Lifetimes.backdate(lifetime)), ca.notBefore());
        Instant notAfter = earliest(now.plus(lifetime), ca.notAfter());
        if (!notAfter.isAfter(now)) {
            throw new IllegalStateException("the CA expires at " + ca.notAfter() + "; it cannot sign at " + now);
        }
        String commonName = sans.dnsNames().isEmpty()
                ? sans.ipAddresses().getFirst().getHostAddress() : sans.dnsNames().getFirst();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        List<GeneralName> names = new ArrayList<>();
        sans.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        for (InetAddress ip : sans.ipAddresses()) {
            names.add(new GeneralName(GeneralName.iPAddress, ip.getHostAddress()));
        }
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), serial(),
                    Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(names.toArray(GeneralName[]::new)))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(ca.certificate()));
            X509Certificate certificate = sign(builder, ca.key(), ca.certificate().getPublicKey());
            return new ServingCertificate(certificate, keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("could not mint a serving certificate", e);
        }
    }

    private X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey, PublicKey verifyingKey)
            throws OperatorCreationException, CertificateException, GeneralSecurityException {
        String algorithm = KeyPairCheck.signatureAlgorithm(signingKey)
                .orElseThrow(() -> new IllegalArgumentException("unsupported CA key " + signingKey.getAlgorithm()));
        ContentSigner signer = new JcaContentSignerBuilder(algorithm).setSecureRandom(random).build(signingKey);
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        // Re-validate what was signed before anyone sees it.
        certificate.verify(verifyingKey);
        certificate.checkValidity(certificate.getNotBefore());
        return certificate;
    }

    private KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate P-256 keys", e);
        }
    }

    /** 127 random bits, never zero (RFC 5280: positive, at most 20 octets; CA/B: at least 64 random bits). */
    private BigInteger serial() {
        return new BigInteger(127, random).setBit(0);
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
