package dev.twofold.operator.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;

/**
 * What the CA Secret ({@code twofold-webhook-ca}) holds. Keys: {@code ca.crt}/{@code ca.key} the CA that signs;
 * during a rotation {@code next.crt}/{@code next.key} the CA published ahead of signing; after one
 * {@code previous.crt}, the CA still trusted until nothing it signed is in use.
 */
public sealed interface CaSecretContent {

    String CA_CRT = "ca.crt";
    String CA_KEY = "ca.key";
    String NEXT_CRT = "next.crt";
    String NEXT_KEY = "next.key";
    String PREVIOUS_CRT = "previous.crt";

    /** No Secret, or one without any of our keys (e.g. an empty placeholder created by a chart). */
    record Absent() implements CaSecretContent {
    }

    /** Something is there but unusable; we never overwrite it (users may bring their own CA). */
    record Broken(String message) implements CaSecretContent {
    }

    /**
     * A usable CA, possibly with a next one or a previous certificate.
     *
     * @param next {@code null} outside a rotation
     * @param previous {@code null} unless a rotation just finished
     */
    record Present(CertificateAuthority current, CertificateAuthority next, X509Certificate previous)
            implements CaSecretContent {
    }

    /** Reads Secret data (PEM text by key; {@code null} for an absent Secret). */
    static CaSecretContent read(Map<String, String> data) {
        if (data == null || (!data.containsKey(CA_CRT) && !data.containsKey(CA_KEY) && !data.containsKey(NEXT_CRT)
                && !data.containsKey(NEXT_KEY) && !data.containsKey(PREVIOUS_CRT))) {
            return new Absent();
        }
        try {
            CertificateAuthority current = pair(data, CA_CRT, CA_KEY, true);
            CertificateAuthority next = pair(data, NEXT_CRT, NEXT_KEY, false);
            X509Certificate previous = data.containsKey(PREVIOUS_CRT)
                    ? certificate(data.get(PREVIOUS_CRT), PREVIOUS_CRT) : null;
            return new Present(current, next, previous);
        } catch (InvalidPemException e) {
            return new Broken(e.getMessage());
        }
    }

    private static CertificateAuthority pair(Map<String, String> data, String crtKey, String keyKey, boolean required)
            throws InvalidPemException {
        String crt = data.get(crtKey);
        String key = data.get(keyKey);
        if (crt == null && key == null && !required) {
            return null;
        }
        if (crt == null) {
            throw new InvalidPemException(crtKey + " is missing (" + keyKey + " is present)");
        }
        if (key == null) {
            throw new InvalidPemException(keyKey + " is missing (" + crtKey + " is present)");
        }
        X509Certificate certificate = certificate(crt, crtKey);
        PrivateKey privateKey;
        try {
            privateKey = Pem.parsePrivateKey(key);
        } catch (InvalidPemException e) {
            throw new InvalidPemException(keyKey + " " + e.getMessage(), e);
        }
        String problem = CertificateAuthority.problem(certificate, privateKey);
        if (problem != null) {
            throw new InvalidPemException(crtKey + " " + problem);
        }
        return new CertificateAuthority(certificate, privateKey);
    }

    private static X509Certificate certificate(String pem, String key) throws InvalidPemException {
        try {
            // A chain is accepted; its first certificate is the CA.
            return Pem.parseCertificates(pem).getFirst();
        } catch (InvalidPemException e) {
            throw new InvalidPemException(key + " " + e.getMessage(), e);
        }
    }
}
