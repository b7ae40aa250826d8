package dev.twofold.operator.workload.ca;

import java.security.Key;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;

/**
 * The signature algorithm a CA key signs certificates with: the ECDSA hash follows the curve size (RFC 5480), RSA uses
 * PKCS#1 v1.5 with SHA-256 (what every TLS stack verifies), Ed25519 is pure.
 */
public enum SignatureAlgorithm {
    ECDSA_SHA256("SHA256withECDSA"),
    ECDSA_SHA384("SHA384withECDSA"),
    ECDSA_SHA512("SHA512withECDSA"),
    RSA_SHA256("SHA256withRSA"),
    ED25519("Ed25519");

    private final String jcaName;

    SignatureAlgorithm(String jcaName) {
        this.jcaName = jcaName;
    }

    /** The JCA signature algorithm name. */
    public String jcaName() {
        return jcaName;
    }

    /**
     * The algorithm for a CA key (private or public).
     *
     * @throws IllegalArgumentException for keys other than EC, RSA and Ed25519
     */
    public static SignatureAlgorithm forKey(Key key) {
        if (key instanceof ECKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return bits <= 256 ? ECDSA_SHA256 : bits <= 384 ? ECDSA_SHA384 : ECDSA_SHA512;
        }
        if (key instanceof RSAKey) {
            return RSA_SHA256;
        }
        if (key instanceof EdECKey ed && ed.getParams().getName().equalsIgnoreCase("Ed25519")) {
            return ED25519;
        }
        throw new IllegalArgumentException("unsupported CA key algorithm " + key.getAlgorithm());
    }
}
