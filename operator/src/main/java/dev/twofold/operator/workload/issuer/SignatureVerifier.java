package dev.twofold.operator.workload.issuer;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Verifies the signatures requesters make with their keys (CSR self-signatures, PodCertificateRequest proofs), with
 * Go-compatible strictness checks of our own: ECDSA signatures must be strict DER with {@code 1 <= r, s < n}; RSA-PSS
 * salt lengths are detected. Stateless and thread-safe.
 *
 * <p>ECDSA and Ed25519 go through BouncyCastle's lightweight API (on JDK 25 its verification is 2-5 times faster
 * than SunEC's, which dominated issuance time; see IssuanceBenchmark), RSA PKCS#1 through the JDK, RSA-PSS through
 * {@link RsaPss}. Every path is checked against the Wycheproof vectors (WycheproofTest).
 */
public final class SignatureVerifier {

    /** BouncyCastle's optimized curves for the NIST curves requesters use. */
    private static final Map<ASN1ObjectIdentifier, ECDomainParameters> CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, domain(SECObjectIdentifiers.secp256r1),
            SECObjectIdentifiers.secp384r1, domain(SECObjectIdentifiers.secp384r1),
            SECObjectIdentifiers.secp521r1, domain(SECObjectIdentifiers.secp521r1));

    /** Whether {@code signature} over {@code message} verifies under {@code key} with {@code scheme}. */
    public boolean verify(PublicKey key, SignatureScheme scheme, byte[] message, byte[] signature) {
        try {
            if (scheme.isEcdsa()) {
                return key instanceof ECPublicKey ec && verifyEcdsa(ec, scheme, message, signature);
            }
            if (scheme == SignatureScheme.ED25519) {
                return key instanceof EdECPublicKey && verifyEd25519(key, message, signature);
            }
            if (!(key instanceof RSAPublicKey rsa)) {
                return false;
            }
            if (scheme == SignatureScheme.RSA_PSS_SHA256_ANY_SALT) {
                return RsaPss.verify(rsa, scheme.jcaName(), message, signature, RsaPss.AUTO);
            }
            Signature verifier = Signature.getInstance(scheme.jcaName());
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // Malformed keys and signatures surface as exceptions in places; they never verify.
            return false;
        }
    }

    private static boolean verifyEcdsa(ECPublicKey key, SignatureScheme scheme, byte[] message, byte[] signature)
            throws NoSuchAlgorithmException {
        BigInteger[] rs = StrictEcdsaDer.parse(signature, key.getParams().getOrder());
        if (rs == null) {
            return false;
        }
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
        if (!info.getAlgorithm().getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)
                || !(info.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve)
                || !CURVES.containsKey(curve)) {
            return false;
        }
        ECDomainParameters domain = CURVES.get(curve);
        // decodePoint rejects points off the curve; ECPublicKeyParameters rejects infinity.
        ECPublicKeyParameters point = new ECPublicKeyParameters(
                domain.getCurve().decodePoint(info.getPublicKeyData().getBytes()), domain);
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, point);
        String digest = switch (scheme) {
            case ECDSA_SHA384 -> "SHA-384";
            case ECDSA_SHA512 -> "SHA-512";
            default -> "SHA-256";
        };
        return verifier.verifySignature(MessageDigest.getInstance(digest).digest(message), rs[0], rs[1]);
    }

    private static ECDomainParameters domain(ASN1ObjectIdentifier curve) {
        return new ECDomainParameters(CustomNamedCurves.getByOID(curve));
    }

    private static boolean verifyEd25519(PublicKey key, byte[] message, byte[] signature) {
        byte[] raw = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
        if (raw.length != Ed25519PublicKeyParameters.KEY_SIZE) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(raw, 0));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }
}
