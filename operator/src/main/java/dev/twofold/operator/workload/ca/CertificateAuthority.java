package dev.twofold.operator.workload.ca;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A CA that can sign: its certificate chain (the CA certificate first, then its issuers up to the trust anchor) and
 * private key. {@link #toString()} leaves the key out.
 *
 * @param chain never empty; {@code chain.get(0)} is the CA certificate, the last element the trust anchor
 * @param privateKey the key of {@code chain.get(0)}
 * @param notBefore the CA certificate's notBefore
 * @param notAfter the CA certificate's notAfter
 * @param fingerprint lower-case hex SHA-256 of the CA certificate's DER encoding
 */
public record CertificateAuthority(List<X509Certificate> chain, PrivateKey privateKey, Instant notBefore,
        Instant notAfter, String fingerprint) {

    public CertificateAuthority {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a CA needs its certificate");
        }
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /** The CA of {@code chain} and {@code privateKey}, its validity and fingerprint read from the certificate. */
    public static CertificateAuthority of(List<X509Certificate> chain, PrivateKey privateKey) {
        X509Certificate certificate = chain.get(0);
        return new CertificateAuthority(chain, privateKey, certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(), fingerprint(certificate));
    }

    /** The CA certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The certificate peers trust: the CA itself when self-signed, else the root of its chain. */
    public X509Certificate trustAnchor() {
        return chain.get(chain.size() - 1);
    }

    public PublicKey publicKey() {
        return certificate().getPublicKey();
    }

    /** notAfter - notBefore. */
    public Duration lifetime() {
        return Duration.between(notBefore, notAfter);
    }

    /** Whether {@code at} is in [notBefore, notAfter). */
    public boolean validAt(Instant at) {
        return !at.isBefore(notBefore) && at.isBefore(notAfter);
    }

    /** Lower-case hex SHA-256 of {@code certificate}'s DER encoding. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("SHA-256 of a parsed certificate failed", e);
        }
    }

    @Override
    public String toString() {
        return "CertificateAuthority[subject=" + certificate().getSubjectX500Principal().getName() + ", notBefore="
                + notBefore + ", notAfter=" + notAfter + ", fingerprint=" + fingerprint + ", chain=" + chain.size()
                + "]";
    }
}
