package dev.twofold.operator.workload.issuer;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;

/**
 * Verifies the signatures requesters make with their keys (CSR self-signatures, PodCertificateRequest proofs) with the
 * JDK's providers, after Go-compatible strictness checks of our own: ECDSA signatures must be strict DER with
 * {@code 1 <= r, s < n}; RSA-PSS salt lengths are detected. Stateless and thread-safe.
 */
public final class SignatureVerifier {

    /** Whether {@code signature} over {@code message} verifies under {@code key} with {@code scheme}. */
    public boolean verify(PublicKey key, SignatureScheme scheme, byte[] message, byte[] signature) {
        if (scheme.isEcdsa()) {
            if (!(key instanceof ECPublicKey ec) || !StrictEcdsaDer.isValid(signature, ec.getParams().getOrder())) {
                return false;
            }
        } else if (scheme.isRsa()) {
            if (!(key instanceof RSAPublicKey rsa)) {
                return false;
            }
            if (scheme == SignatureScheme.RSA_PSS_SHA256_ANY_SALT) {
                return RsaPss.verify(rsa, scheme.jcaName(), message, signature, RsaPss.AUTO);
            }
        } else if (!(key instanceof EdECPublicKey)) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(scheme.jcaName());
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // Providers signal some malformed signatures with exceptions rather than false.
            return false;
        }
    }
}
