package dev.twofold.operator.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/** A CA certificate and its private key, checked to belong together and to be allowed to sign certificates. */
public record CertificateAuthority(X509Certificate certificate, PrivateKey key) {

    public CertificateAuthority {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }

    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** When 2/3 of the CA's lifetime have passed and rotation should begin. */
    public Instant rotationDue() {
        return Lifetimes.twoThirds(notBefore(), notAfter());
    }

    /**
     * Why {@code certificate} and {@code key} cannot serve as a CA, or {@code null} when they can: the certificate must
     * be a CA (basicConstraints cA), may sign certificates (keyCertSign when keyUsage is present), and the key must be
     * its EC or RSA private key.
     */
    public static String problem(X509Certificate certificate, PrivateKey key) {
        if (certificate.getBasicConstraints() < 0) {
            return "is not a CA certificate (basicConstraints cA is false or absent)";
        }
        boolean[] usage = certificate.getKeyUsage();
        if (usage != null && (usage.length < 6 || !usage[5])) {
            return "is not allowed to sign certificates (keyUsage lacks keyCertSign)";
        }
        if (KeyPairCheck.signatureAlgorithm(key).isEmpty()) {
            return "has a " + key.getAlgorithm() + " key; only EC and RSA keys are supported";
        }
        if (!KeyPairCheck.matches(certificate, key)) {
            return "does not belong to the private key stored with it";
        }
        return null;
    }
}
