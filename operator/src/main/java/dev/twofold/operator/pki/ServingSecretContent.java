package dev.twofold.operator.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;

/** What the serving Secret ({@code twofold-webhook-tls}) holds: {@code tls.crt}, {@code tls.key}, {@code ca.crt}. */
public sealed interface ServingSecretContent {

    String TLS_CRT = "tls.crt";
    String TLS_KEY = "tls.key";
    String CA_CRT = "ca.crt";

    /** No Secret or no certificate in it. */
    record Absent() implements ServingSecretContent {
    }

    /** Something unusable: it is simply replaced, the operator derives all of it. */
    record Unusable(String reason) implements ServingSecretContent {
    }

    /** A certificate with its key; {@code caBundle} is {@code ca.crt} as stored ({@code null} when absent). */
    record Present(ServingCertificate certificate, String caBundle) implements ServingSecretContent {
    }

    static ServingSecretContent read(Map<String, String> data) {
        if (data == null || !data.containsKey(TLS_CRT)) {
            return new Absent();
        }
        try {
            X509Certificate certificate = Pem.parseCertificates(data.get(TLS_CRT)).getFirst();
            String keyPem = data.get(TLS_KEY);
            if (keyPem == null) {
                return new Unusable("tls.key is missing");
            }
            PrivateKey key = Pem.parsePrivateKey(keyPem);
            if (!KeyPairCheck.matches(certificate, key)) {
                return new Unusable("tls.key does not belong to tls.crt");
            }
            return new Present(new ServingCertificate(certificate, key), data.get(CA_CRT));
        } catch (InvalidPemException e) {
            return new Unusable("unreadable: " + e.getMessage());
        }
    }
}
