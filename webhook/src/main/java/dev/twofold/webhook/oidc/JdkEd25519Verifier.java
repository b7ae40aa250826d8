package dev.twofold.webhook.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.util.Set;

/**
 * EdDSA (Ed25519) signature checks with the JDK's own implementation. nimbus 10's {@code Ed25519Verifier} needs Google
 * Tink (an optional dependency) and takes only an {@code OctetKeyPair}; the JDK has had Ed25519 since 15.
 */
final class JdkEd25519Verifier implements JWSVerifier {

    private static final int SIGNATURE_LENGTH = 64;

    private final EdECPublicKey key;
    private final JCAContext jcaContext = new JCAContext();

    JdkEd25519Verifier(EdECPublicKey key) {
        this.key = key;
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
            throw new JOSEException("the Ed25519 verifier only checks EdDSA signatures");
        }
        byte[] bytes = signature.decode();
        if (bytes.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initVerify(key);
            ed25519.update(signingInput);
            return ed25519.verify(bytes);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.EdDSA);
    }

    @Override
    public JCAContext getJCAContext() {
        return jcaContext;
    }
}
