package dev.twofold.webhook.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The webhook's TLS identity: a private key and its certificate chain, leaf first, checked to belong together.
 *
 * @param key ECDSA or RSA
 * @param chain leaf first, never empty
 */
public record ServingCertificate(PrivateKey key, List<X509Certificate> chain) {

    public ServingCertificate {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
    }

    /**
     * Decodes a {@code kubernetes.io/tls} pair and checks that the key signs for the leaf certificate.
     *
     * @param certificatePem {@code tls.crt}: PEM certificates, leaf first
     * @param keyPem {@code tls.key}: a PKCS#8, SEC1 or PKCS#1 PEM private key
     */
    public static ServingCertificate fromPem(String certificatePem, String keyPem) throws InvalidCertificate {
        List<X509Certificate> chain = PemDecoder.certificates(certificatePem);
        PrivateKey key = PemDecoder.privateKey(keyPem);
        X509Certificate leaf = chain.getFirst();
        String keyAlgorithm = key.getAlgorithm();
        String certificateAlgorithm = leaf.getPublicKey().getAlgorithm();
        if (!keyAlgorithm.equals(certificateAlgorithm)) {
            throw new InvalidCertificate("tls.key is an " + keyAlgorithm + " key but the certificate in tls.crt has an "
                    + certificateAlgorithm + " public key");
        }
        if (!keyMatches(key, leaf)) {
            throw new InvalidCertificate("tls.key does not match the first certificate in tls.crt");
        }
        return new ServingCertificate(key, chain);
    }

    public X509Certificate leaf() {
        return chain.getFirst();
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** The JSSE key type, {@code EC} or {@code RSA}. */
    public String keyType() {
        return key.getAlgorithm();
    }

    /** SHA-256 of the leaf certificate, hex: how operators tell certificates apart in logs. */
    public String fingerprint() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf().getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    // Signing a fixed message with the key and verifying with the certificate proves they are a pair, whatever
    // the algorithm, without comparing key internals.
    private static boolean keyMatches(PrivateKey key, X509Certificate leaf) throws InvalidCertificate {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] message = "twofold serving certificate check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(message);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new InvalidCertificate("tls.key cannot sign for the certificate in tls.crt: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ServingCertificate[" + leaf().getSubjectX500Principal() + ", notAfter=" + notAfter() + "]";
    }
}
