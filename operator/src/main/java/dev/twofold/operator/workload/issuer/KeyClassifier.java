package dev.twofold.operator.workload.issuer;

import dev.twofold.api.v1alpha1.KeyType;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;

/** Names a public key's type as policies do ({@link KeyType}), or rejects keys this signer never certifies. */
final class KeyClassifier {

    /** Group orders of the NIST curves, to tell P-256 from other 256-bit curves. */
    static final BigInteger P256_ORDER = order("secp256r1");
    static final BigInteger P384_ORDER = order("secp384r1");
    static final BigInteger P521_ORDER = order("secp521r1");
    private static final String SUPPORTED = "use ECDSAP256, ECDSAP384, ED25519, RSA2048, RSA3072 or RSA4096";

    private KeyClassifier() {
    }

    private static BigInteger order(String curve) {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(curve));
            return parameters.getParameterSpec(ECParameterSpec.class).getOrder();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK does not know " + curve, e);
        }
    }

    static KeyType classify(PublicKey key) throws RequestRejectedException {
        if (key instanceof ECPublicKey ec) {
            BigInteger order = ec.getParams().getOrder();
            if (order.equals(P256_ORDER)) {
                return KeyType.ECDSAP256;
            }
            if (order.equals(P384_ORDER)) {
                return KeyType.ECDSAP384;
            }
            throw unsupported((order.equals(P521_ORDER) ? "ECDSA P-521" : "this elliptic curve") + " is not supported");
        }
        if (key instanceof RSAPublicKey rsa) {
            BigInteger exponent = rsa.getPublicExponent();
            if (!exponent.testBit(0) || exponent.compareTo(BigInteger.valueOf(3)) < 0
                    || exponent.bitLength() > 31) {
                throw unsupported("RSA public exponent " + exponent + " is not supported (odd, 3 to 2^31-1)");
            }
            // Sized like Go's rsa.PublicKey.Size()*8, as kube-apiserver checks PodCertificateRequest keys.
            int bits = (rsa.getModulus().bitLength() + 7) / 8 * 8;
            return switch (bits) {
                case 2048 -> KeyType.RSA2048;
                case 3072 -> KeyType.RSA3072;
                case 4096 -> KeyType.RSA4096;
                default -> throw unsupported("RSA keys must have modulus size 2048, 3072 or 4096; got " + bits);
            };
        }
        if (key instanceof EdECPublicKey ed && ed.getParams().getName().equalsIgnoreCase("Ed25519")) {
            return KeyType.ED25519;
        }
        throw unsupported(key.getAlgorithm() + " keys are not supported");
    }

    private static RequestRejectedException unsupported(String what) {
        return new RequestRejectedException(RequestRejectedException.Reason.UNSUPPORTED_KEY_TYPE, what + "; "
                + SUPPORTED);
    }
}
