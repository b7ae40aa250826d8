package dev.twofold.webhook.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import java.security.Key;
import java.security.Provider;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Makes the nimbus verifier for an (algorithm, key) pair, refusing pairs that do not belong together (an RSA key for
 * ES256, an EC key for RS256), so a key can never be used with another algorithm family than its own.
 */
public final class JwsVerifiers {

    /** The JDK's providers for everything. */
    public static final JwsVerifiers JDK = new JwsVerifiers(null);

    /**
     * The default: BouncyCastle for ECDSA (passed as an object, never registered globally), the JDK for RSA and
     * Ed25519. JDK 25 made ECDSA signing fast, but its P-256 verification measured 2-3x slower than BouncyCastle's in
     * TokenVerificationBenchmark; both pass every Wycheproof P-256 vector.
     */
    public static final JwsVerifiers DEFAULT = new JwsVerifiers(new BouncyCastleProvider());

    private final Provider ecdsaProvider;

    /** @param ecdsaProvider the JCA provider for ES256/384/512, or {@code null} for the JDK's */
    public JwsVerifiers(Provider ecdsaProvider) {
        this.ecdsaProvider = ecdsaProvider;
    }

    /** A verifier for {@code header}'s algorithm with {@code key}; throws when they do not fit. */
    JWSVerifier create(JWSHeader header, Key key) throws JOSEException {
        JWSAlgorithm algorithm = header.getAlgorithm();
        if (JWSAlgorithm.Family.RSA.contains(algorithm) && key instanceof RSAPublicKey rsa) {
            return new RSASSAVerifier(rsa);
        }
        if (JWSAlgorithm.Family.EC.contains(algorithm) && key instanceof ECPublicKey ec) {
            ECDSAVerifier verifier = new ECDSAVerifier(ec);
            if (ecdsaProvider != null) {
                verifier.getJCAContext().setProvider(ecdsaProvider);
            }
            return verifier;
        }
        if (JWSAlgorithm.EdDSA.equals(algorithm) && key instanceof EdECPublicKey ed) {
            return new JdkEd25519Verifier(ed);
        }
        throw new JOSEException("a " + key.getAlgorithm() + " key cannot verify " + algorithm);
    }
}
