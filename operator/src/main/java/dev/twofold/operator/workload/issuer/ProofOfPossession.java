package dev.twofold.operator.workload.issuer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Verifies a PodCertificateRequest's {@code pkixPublicKey} and {@code proofOfPossession} with kube-apiserver 1.35's
 * rules ({@code ValidatePodCertificateRequestCreate} in {@code pkg/apis/certificates/validation}, matching the
 * kubelet's {@code generateKeyAndProof}); the message is the UTF-8 bytes of {@code spec.podUID}:
 * <ul>
 *   <li>at most 10 KiB of key and of proof;</li>
 *   <li>Ed25519: pure Ed25519 over the UID bytes themselves;</li>
 *   <li>ECDSA P-256, P-384 or P-521: ASN.1 (DER) signature of SHA-256(UID), whatever the curve;</li>
 *   <li>RSA with a 3072- or 4096-bit modulus (byte length x 8, like Go's {@code Size()*8}): RSASSA-PSS with SHA-256,
 *       MGF1-SHA-256 and any salt length ({@code rsa.VerifyPSS} with nil options);</li>
 *   <li>anything else is rejected.</li>
 * </ul>
 * kube-apiserver already checked this on create; repeating it costs one verification and keeps the signer honest about
 * the key it certifies. Keys that pass but that Twofold does not certify (P-521) are then rejected with
 * {@link RequestRejectedException.Reason#UNSUPPORTED_KEY_TYPE}, which the signer reports as UnsupportedKeyType.
 */
public final class ProofOfPossession {

    public static final int MAX_PUBLIC_KEY_BYTES = 10 * 1024;
    public static final int MAX_PROOF_BYTES = 10 * 1024;
    private static final ASN1ObjectIdentifier P256 = SECObjectIdentifiers.secp256r1;
    private static final ASN1ObjectIdentifier P384 = SECObjectIdentifiers.secp384r1;
    private static final ASN1ObjectIdentifier P521 = SECObjectIdentifiers.secp521r1;
    private static final ASN1ObjectIdentifier P224 = SECObjectIdentifiers.secp224r1;

    private final SignatureVerifier verifier;

    public ProofOfPossession(SignatureVerifier verifier) {
        this.verifier = verifier;
    }

    /** The key, once {@code proof} shows its holder signed {@code podUid}. Messages follow kube-apiserver's. */
    public VerifiedPublicKey verify(byte[] pkixPublicKey, byte[] proof, String podUid)
            throws RequestRejectedException {
        if (pkixPublicKey.length > MAX_PUBLIC_KEY_BYTES) {
            throw rejected(RequestRejectedException.Reason.TOO_LARGE,
                    "spec.pkixPublicKey: must have at most " + MAX_PUBLIC_KEY_BYTES + " bytes");
        }
        if (proof.length > MAX_PROOF_BYTES) {
            throw rejected(RequestRejectedException.Reason.TOO_LARGE,
                    "spec.proofOfPossession: must have at most " + MAX_PROOF_BYTES + " bytes");
        }
        SubjectPublicKeyInfo info = PublicKeys.spki(pkixPublicKey);
        if (info == null) {
            throw malformed();
        }
        PublicKeys.Algorithm algorithm = PublicKeys.algorithm(info);
        byte[] message = podUid.getBytes(StandardCharsets.UTF_8);
        SignatureScheme scheme = switch (algorithm) {
            case ED25519 -> SignatureScheme.ED25519;
            case EC -> {
                ASN1ObjectIdentifier curve = curve(info);
                // Go parses P-224, P-256, P-384 and P-521 keys only; other curves are "not PKIX" to it.
                if (curve == null || !(curve.equals(P224) || curve.equals(P256) || curve.equals(P384)
                        || curve.equals(P521))) {
                    throw malformed();
                }
                if (curve.equals(P224)) {
                    // kube-apiserver's wording, although it also accepts P-521.
                    throw rejected(RequestRejectedException.Reason.UNSUPPORTED_KEY_TYPE,
                            "spec.pkixPublicKey: elliptic public keys must use curve P256 or P384");
                }
                yield SignatureScheme.ECDSA_SHA256;
            }
            case RSA -> SignatureScheme.RSA_PSS_SHA256_ANY_SALT;
            case OTHER_KNOWN -> throw rejected(RequestRejectedException.Reason.UNSUPPORTED_KEY_TYPE,
                    "spec.pkixPublicKey: unknown public key type; supported types are Ed25519, ECDSA, and RSA");
            case UNKNOWN -> throw malformed();
        };
        PublicKey key;
        try {
            key = PublicKeys.toJdk(info, algorithm);
        } catch (GeneralSecurityException e) {
            throw malformed();
        }
        if (key instanceof RSAPublicKey rsa) {
            int bits = (rsa.getModulus().bitLength() + 7) / 8 * 8;
            if (bits != 3072 && bits != 4096) {
                throw rejected(RequestRejectedException.Reason.UNSUPPORTED_KEY_TYPE,
                        "spec.pkixPublicKey: RSA keys must have modulus size 3072 or 4096; got " + bits);
            }
        }
        if (!verifier.verify(key, scheme, message, proof)) {
            throw rejected(RequestRejectedException.Reason.BAD_SIGNATURE,
                    "spec.proofOfPossession: could not verify proof-of-possession signature");
        }
        return new VerifiedPublicKey(key, KeyClassifier.classify(key));
    }

    /** The named curve of an EC key, or {@code null} when the parameters are not a named curve. */
    private static ASN1ObjectIdentifier curve(SubjectPublicKeyInfo info) {
        return info.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier oid ? oid : null;
    }

    private static RequestRejectedException malformed() {
        return rejected(RequestRejectedException.Reason.MALFORMED,
                "spec.pkixPublicKey: must be a valid PKIX-serialized public key");
    }

    private static RequestRejectedException rejected(RequestRejectedException.Reason reason, String message) {
        return new RequestRejectedException(reason, message);
    }
}
