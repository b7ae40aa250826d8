package dev.twofold.operator.workload;

import dev.twofold.operator.workload.ca.CertificateAuthority;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates the production code would never make: user roots with other path lengths, broken leaves. */
public final class TestCertificates {

    private TestCertificates() {
    }

    /** A user's root CA (like one an admin would put in a Secret) with {@code pathLength}, -1 for none. */
    public static CertificateAuthority root(String name, Instant notBefore, Duration lifetime, int pathLength) {
        KeyPair keys = Keys.freshP256();
        X500Name subject = new X500Name("CN=" + name);
        X509Certificate certificate = sign(new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(7),
                Date.from(notBefore), Date.from(notBefore.plus(lifetime)), subject, keys.getPublic()), b -> {
                    try {
                        return b.addExtension(Extension.basicConstraints, true, pathLength < 0
                                        ? new BasicConstraints(true) : new BasicConstraints(pathLength))
                                .addExtension(Extension.keyUsage, true,
                                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                                .addExtension(Extension.subjectKeyIdentifier, false,
                                        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, keys.getPrivate());
        return CertificateAuthority.of(List.of(certificate), keys.getPrivate());
    }

    /** A certificate for {@code key} issued by {@code ca}, shaped by {@code customizer}. */
    public static X509Certificate issue(CertificateAuthority ca, PublicKey key, X500Name subject, Instant notBefore,
            Instant notAfter, BigInteger serial, UnaryOperator<X509v3CertificateBuilder> customizer) {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial,
                Date.from(notBefore), Date.from(notAfter), subject, key);
        return sign(builder, customizer, ca.privateKey());
    }

    public static X509Certificate sign(X509v3CertificateBuilder builder,
            UnaryOperator<X509v3CertificateBuilder> customizer, PrivateKey key) {
        try {
            String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            byte[] der = customizer.apply(builder).build(new JcaContentSignerBuilder(algorithm).build(key))
                    .getEncoded();
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
