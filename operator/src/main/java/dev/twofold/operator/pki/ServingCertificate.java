package dev.twofold.operator.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/** The webhook's serving certificate and its private key. */
public record ServingCertificate(X509Certificate certificate, PrivateKey key) {

    public ServingCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }

    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** When 2/3 of the certificate's lifetime have passed and it should be renewed. */
    public Instant renewalDue() {
        return Lifetimes.twoThirds(notBefore(), notAfter());
    }
}
