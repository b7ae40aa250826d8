package dev.twofold.operator.workload.ca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes trust domain CAs: a self-signed ECDSA P-256 root, or an ECDSA P-256 intermediate signed by a user-provided
 * root (pathLen 0, name-constrained to the trust domain). Both carry the trust domain's SPIFFE ID as URI SAN, as
 * X509-SVID §3.2 recommends for signing certificates.
 */
public final class CaFactory {

    /** CA certificates are backdated this much, for peers whose clocks run a little behind. */
    public static final Duration BACKDATE = Duration.ofMinutes(1);
    /** Random serial number size (RFC 5280 allows up to 20 octets; CA/B forum asks for at least 64 random bits). */
    static final int SERIAL_BYTES = 16;

    private final Clock clock;
    private final SecureRandom random;

    public CaFactory(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /** A new self-signed root for {@code trustDomain}, valid from now (backdated a minute) for {@code lifetime}. */
    public CertificateAuthority selfSigned(String trustDomain, Duration lifetime) {
        KeyPair keys = newP256KeyPair();
        Instant notBefore = clock.instant().minus(BACKDATE);
        BigInteger serial = serial();
        X500Name subject = subject(trustDomain, serial);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                    Date.from(notBefore), Date.from(notBefore.plus(lifetime)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.subjectAlternativeName, false, trustDomainId(trustDomain));
            X509Certificate certificate = sign(builder, signer(keys.getPrivate(), SignatureAlgorithm.ECDSA_SHA256));
            return CertificateAuthority.of(List.of(certificate), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("building a self-signed CA failed", e);
        }
    }

    /**
     * A new intermediate for {@code trustDomain} signed by {@code root}, valid from now (backdated a minute) for
     * {@code lifetime} but never beyond the root.
     *
     * @throws CaMaterialException when {@code root} cannot sign an intermediate now (not a CA, pathLen 0, expired)
     */
    public CertificateAuthority intermediate(String trustDomain, Duration lifetime, CertificateAuthority root)
            throws CaMaterialException {
        Instant now = clock.instant();
        X509Certificate rootCertificate = root.certificate();
        RootCheck.check(rootCertificate, now);
        KeyPair keys = newP256KeyPair();
        Instant notBefore = maxOf(now.minus(BACKDATE), root.notBefore());
        Instant notAfter = minOf(notBefore.plus(lifetime), root.notAfter());
        BigInteger serial = serial();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            NameConstraints constraints = new NameConstraints(new GeneralSubtree[] {
                new GeneralSubtree(new GeneralName(GeneralName.uniformResourceIdentifier, trustDomain))}, null);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(rootCertificate.getSubjectX500Principal().getEncoded()), serial,
                    Date.from(notBefore), Date.from(notAfter), subject(trustDomain, serial), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId(rootCertificate, extensions))
                    .addExtension(Extension.subjectAlternativeName, false, trustDomainId(trustDomain))
                    // RFC 5280: a URI constraint names the host; "td" admits spiffe://td/... and nothing else.
                    .addExtension(Extension.nameConstraints, true, constraints);
            X509Certificate certificate = sign(builder,
                    signer(root.privateKey(), SignatureAlgorithm.forKey(root.privateKey())));
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            chain.addAll(root.chain());
            return CertificateAuthority.of(chain, keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("building an intermediate CA failed", e);
        }
    }

    private KeyPair newP256KeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate P-256 keys", e);
        }
    }

    /** A positive serial of {@value #SERIAL_BYTES} random bytes (never zero). */
    private BigInteger serial() {
        byte[] bytes = new byte[SERIAL_BYTES];
        BigInteger serial;
        do {
            random.nextBytes(bytes);
            serial = new BigInteger(1, bytes);
        } while (serial.signum() == 0);
        return serial;
    }

    /** Unique per CA (the serial), so rotated CAs of one trust domain never share a subject. */
    private static X500Name subject(String trustDomain, BigInteger serial) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Twofold")
                .addRDN(BCStyle.OU, trustDomain)
                .addRDN(BCStyle.SERIALNUMBER, HexFormat.of().formatHex(serial.toByteArray()))
                .build();
    }

    private static GeneralNames trustDomainId(String trustDomain) {
        return new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://" + trustDomain));
    }

    private static AuthorityKeyIdentifier authorityKeyId(X509Certificate issuer,
            JcaX509ExtensionUtils extensions) {
        byte[] ski = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ski != null) {
            byte[] keyId = ASN1OctetString.getInstance(
                    ASN1OctetString.getInstance(ski).getOctets()).getOctets();
            return new AuthorityKeyIdentifier(keyId);
        }
        PublicKey key = issuer.getPublicKey();
        return extensions.createAuthorityKeyIdentifier(key);
    }

    private ContentSigner signer(PrivateKey key, SignatureAlgorithm algorithm)
            throws OperatorCreationException {
        return new JcaContentSignerBuilder(algorithm.jcaName()).setSecureRandom(random).build(key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, ContentSigner signer)
            throws GeneralSecurityException {
        byte[] der;
        try {
            der = builder.build(signer).getEncoded();
        } catch (IOException e) {
            throw new GeneralSecurityException("encoding the certificate failed", e);
        }
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    private static Instant maxOf(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant minOf(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
