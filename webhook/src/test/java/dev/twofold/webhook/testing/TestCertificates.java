package dev.twofold.webhook.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed serving certificates for 127.0.0.1 / localhost, with their keys in every PEM form the webhook reads. */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    /**
     * A certificate and its key.
     *
     * @param certificatePem the certificate, PEM
     * @param pkcs8Pem the key as {@code PRIVATE KEY}
     * @param legacyPem the key as {@code EC PRIVATE KEY} (SEC1, with its curve) or {@code RSA PRIVATE KEY} (PKCS#1)
     */
    public record Issued(KeyPair keyPair, X509Certificate certificate, String certificatePem, String pkcs8Pem,
            String legacyPem) {

        /** A client TLS context that trusts exactly this certificate. */
        public SSLContext trustingContext() {
            return TestCertificates.trusting(certificate);
        }
    }

    private TestCertificates() {
    }

    /** ECDSA P-256, valid for {@code lifetime} from now. */
    public static Issued ec(String commonName, Duration lifetime) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            ECPrivateKey key = (ECPrivateKey) pair.getPrivate();
            byte[] publicKey = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()).getPublicKeyData()
                    .getBytes();
            byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(), new DERBitString(publicKey),
                    SECObjectIdentifiers.secp256r1).getEncoded();
            return issue(commonName, lifetime, pair, "SHA256withECDSA", pem("EC PRIVATE KEY", sec1));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** RSA 2048, valid for {@code lifetime} from now. */
    public static Issued rsa(String commonName, Duration lifetime) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            byte[] pkcs1 = PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded()).parsePrivateKey()
                    .toASN1Primitive().getEncoded();
            return issue(commonName, lifetime, pair, "SHA256withRSA", pem("RSA PRIVATE KEY", pkcs1));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** SEC1 without the optional curve parameters, as some tools write it. */
    public static String sec1WithoutCurve(Issued issued) {
        try {
            ECPrivateKey key = (ECPrivateKey) issued.keyPair().getPrivate();
            return pem("EC PRIVATE KEY", new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS()).getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static SSLContext trusting(X509Certificate... certificates) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.length; i++) {
                store.setCertificateEntry("trusted-" + i, certificates[i]);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Issued issue(String commonName, Duration lifetime, KeyPair pair, String algorithm, String legacy)
            throws Exception {
        X500Name name = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minusSeconds(60)),
                Date.from(now.plus(lifetime)), name, pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(algorithm).build(pair.getPrivate())));
        return new Issued(pair, certificate, pem("CERTIFICATE", certificate.getEncoded()),
                pem("PRIVATE KEY", pair.getPrivate().getEncoded()), legacy);
    }
}
