package dev.twofold.e2e.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
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
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for the local control plane: CAs, serving certificates for loopback, and client certificates
 * (the API server maps CN to the user and O to groups, so {@code system:node:<name>} / {@code system:nodes} make a
 * kubelet identity). ECDSA P-256 throughout. Not the workload CA: that one lives in the operator.
 */
public final class Pki {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration BACKDATE = Duration.ofMinutes(5);

    private Pki() {}

    /** A certificate with its key pair; the chain is the certificate alone (issued straight from a root). */
    public record Issued(X509Certificate certificate, KeyPair keyPair) {
        public String certificatePem() { return pem(certificate); }
        public String privateKeyPem() { return Pki.privateKeyPem(keyPair.getPrivate()); }

        /** The key as kubeadm writes it into kubeconfigs ({@code EC PRIVATE KEY}), which every client reads. */
        public String kubeconfigKeyPem() { return Pki.sec1PrivateKeyPem(keyPair.getPrivate()); }

        /** Writes {@code <name>.crt} and {@code <name>.key} into dir (key readable by the owner only). */
        public Issued writeTo(Path dir, String name) {
            writePem(dir.resolve(name + ".crt"), certificatePem());
            writePrivate(dir.resolve(name + ".key"), privateKeyPem());
            return this;
        }
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks ECDSA P-256", e);
        }
    }

    public static Issued newCa(String commonName, Duration lifetime) {
        KeyPair keys = newKeyPair();
        X500Name name = name(commonName, List.of());
        return new Issued(sign(name, keys, name, keys, lifetime, true, List.of(), false, false), keys);
    }

    /** A serving certificate for loopback: DNS localhost, IP 127.0.0.1 and ::1, plus any extra DNS names. */
    public static Issued newServingCert(Issued ca, String commonName, Duration lifetime, String... extraDnsNames) {
        List<GeneralName> sans = new ArrayList<>();
        sans.add(new GeneralName(GeneralName.dNSName, "localhost"));
        for (String dns : extraDnsNames) sans.add(new GeneralName(GeneralName.dNSName, dns));
        sans.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        sans.add(new GeneralName(GeneralName.iPAddress, "::1"));
        KeyPair keys = newKeyPair();
        return new Issued(sign(name(commonName, List.of()), keys, subjectOf(ca), ca.keyPair(), lifetime, false, sans, true, false), keys);
    }

    /** A client certificate: the API server reads CN as the user name and each O as a group. */
    public static Issued newClientCert(Issued ca, String user, List<String> groups, Duration lifetime) {
        KeyPair keys = newKeyPair();
        return new Issued(sign(name(user, groups), keys, subjectOf(ca), ca.keyPair(), lifetime, false, List.of(), false, true), keys);
    }

    private static X500Name subjectOf(Issued ca) {
        return X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    }

    private static X500Name name(String commonName, List<String> organizations) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        for (String o : organizations) builder.addRDN(BCStyle.O, o);
        builder.addRDN(BCStyle.CN, commonName);
        return builder.build();
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                        Duration lifetime, boolean ca, List<GeneralName> sans,
                                        boolean serverAuth, boolean clientAuth) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(128, RANDOM).abs(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(lifetime)), subject, subjectKeys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
                    : KeyUsage.digitalSignature));
            List<KeyPurposeId> purposes = new ArrayList<>();
            if (serverAuth) purposes.add(KeyPurposeId.id_kp_serverAuth);
            if (clientAuth) purposes.add(KeyPurposeId.id_kp_clientAuth);
            if (!purposes.isEmpty()) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
            }
            if (!sans.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("could not issue a certificate for " + subject, e);
        }
    }

    public static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** PKCS#8 ({@code PRIVATE KEY}): the JDK's encoding names the curve, which Go, OpenSSL and Keycloak all require. */
    public static String privateKeyPem(java.security.PrivateKey key) {
        return pem(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", key.getEncoded()));
    }

    /**
     * SEC 1 ({@code EC PRIVATE KEY}) with the curve named inside: the form kubeconfigs carry, and the only EC form
     * fabric8's client recognises without being told the algorithm.
     */
    public static String sec1PrivateKeyPem(java.security.PrivateKey key) {
        try {
            var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
            var sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
            var named = new org.bouncycastle.asn1.sec.ECPrivateKey(256, sec1.getKey(), sec1.getPublicKey(),
                    info.getPrivateKeyAlgorithm().getParameters());
            return pem(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", named.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode an EC private key", e);
        }
    }

    public static void writePem(Path file, String pem) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, pem);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    public static void writePrivate(Path file, String pem) {
        writePem(file, pem);
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not restrict " + file, e);
        }
    }
}
