package dev.twofold.operator.workload.issuer;

/** Signature schemes {@link SignatureVerifier} checks: what CSRs and PodCertificateRequest proofs are signed with. */
public enum SignatureScheme {
    ECDSA_SHA256("SHA256withECDSA"),
    ECDSA_SHA384("SHA384withECDSA"),
    ECDSA_SHA512("SHA512withECDSA"),
    RSA_PKCS1_SHA256("SHA256withRSA"),
    RSA_PKCS1_SHA384("SHA384withRSA"),
    RSA_PKCS1_SHA512("SHA512withRSA"),
    /** RSASSA-PSS, SHA-256 and MGF1-SHA-256, any salt length (Go's {@code rsa.VerifyPSS} with nil options). */
    RSA_PSS_SHA256_ANY_SALT("SHA-256"),
    /** Pure Ed25519 over the message itself. */
    ED25519("Ed25519");

    private final String jcaName;

    SignatureScheme(String jcaName) {
        this.jcaName = jcaName;
    }

    /** The JCA signature name (for PSS, the digest name). */
    String jcaName() {
        return jcaName;
    }

    boolean isEcdsa() {
        return this == ECDSA_SHA256 || this == ECDSA_SHA384 || this == ECDSA_SHA512;
    }

    boolean isRsa() {
        return this == RSA_PKCS1_SHA256 || this == RSA_PKCS1_SHA384 || this == RSA_PKCS1_SHA512
                || this == RSA_PSS_SHA256_ANY_SALT;
    }
}
