package dev.twofold.operator.workload.issuer;

import dev.twofold.api.v1alpha1.KeyType;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;

/** Names a public key's type as policies do ({@link KeyType}), or rejects keys this signer never certifies. */
final class KeyClassifier {

    /** Group orders of the NIST curves, to tell P-256 from other 256-bit curves. */
    static final BigInteger P256_ORDER =
            new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
    static final BigInteger P384_ORDER = new BigInteger("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf"
            + "581a0db248b0a77aecec196accc52973", 16);
    static final BigInteger P521_ORDER = new BigInteger("01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
            + "fffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409", 16);
    private static final String SUPPORTED = "use ECDSAP256, ECDSAP384, ED25519, RSA2048, RSA3072 or RSA4096";

    private KeyClassifier() {
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
