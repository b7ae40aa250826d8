package dev.twofold.webhook.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * nimbus' {@link JWSVerificationKeySelector}, pinned to the issuer's algorithms, with three gaps closed: keys whose
 * {@code key_ops} do not include {@code verify} are skipped (nimbus' JWS matcher checks only {@code use}); Ed25519 keys
 * become JDK keys (nimbus cannot convert an {@code OctetKeyPair} to a {@code java.security} key); RSA keys under 2048
 * bits are ignored. Converted keys are memoized: converting an RSA JWK costs as much as half a verification.
 */
final class PinnedKeySelector extends JWSVerificationKeySelector<SecurityContext> {

    static final int MIN_RSA_BITS = 2048;
    private static final int MAX_MEMOIZED = 256;
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32-byte key follows. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03,
        0x21, 0x00};

    private final Map<JWK, PublicKey> converted = new ConcurrentHashMap<>();

    PinnedKeySelector(Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> source) {
        super(algorithms, source);
    }

    @Override
    public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
        JWKMatcher matcher = createJWKMatcher(header);
        if (matcher == null) {
            return List.of();
        }
        List<JWK> matches = getJWKSource().get(new JWKSelector(matcher), context);
        List<Key> keys = new ArrayList<>(matches.size());
        for (JWK jwk : matches) {
            if (jwk.getKeyOperations() != null && !jwk.getKeyOperations().contains(KeyOperation.VERIFY)) {
                continue;
            }
            PublicKey key = publicKey(jwk);
            if (key != null) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** The JWK's public key, or {@code null} when it has none Twofold accepts. */
    private PublicKey publicKey(JWK jwk) {
        PublicKey cached = converted.get(jwk);
        if (cached != null) {
            return cached;
        }
        PublicKey key = convert(jwk);
        if (key != null) {
            if (converted.size() >= MAX_MEMOIZED) {
                converted.clear(); // rotated-away keys must not pile up
            }
            converted.put(jwk, key);
        }
        return key;
    }

    static PublicKey convert(JWK jwk) {
        try {
            if (jwk instanceof OctetKeyPair okp) {
                return Curve.Ed25519.equals(okp.getCurve()) ? ed25519(okp.getDecodedX()) : null;
            }
            if (jwk instanceof AsymmetricJWK asymmetric) {
                PublicKey key = asymmetric.toPublicKey();
                if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                    return null;
                }
                return key;
            }
        } catch (JOSEException | GeneralSecurityException e) {
            return null; // an unusable key in the JWKS is skipped, like nimbus does
        }
        return null;
    }

    private static PublicKey ed25519(byte[] x) throws GeneralSecurityException {
        if (x.length != 32) {
            throw new GeneralSecurityException("an Ed25519 key is 32 bytes");
        }
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(x, 0, spki, ED25519_SPKI_PREFIX.length, 32);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }
}
