package dev.twofold.operator.workload.issuer;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** Parses DER SubjectPublicKeyInfo into JDK keys, strictly (the DER must re-encode to itself). */
final class PublicKeys {

    /** Key algorithms by SPKI OID. */
    enum Algorithm { EC, RSA, ED25519, OTHER_KNOWN, UNKNOWN }

    static final ASN1ObjectIdentifier DSA = new ASN1ObjectIdentifier("1.2.840.10040.4.1");
    static final ASN1ObjectIdentifier X25519 = EdECObjectIdentifiers.id_X25519;

    private PublicKeys() {
    }

    /** The SPKI in {@code der}, or {@code null} when it is not exactly one DER SubjectPublicKeyInfo. */
    static SubjectPublicKeyInfo spki(byte[] der) {
        try {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(der);
            return info != null && Arrays.equals(info.getEncoded(), der) ? info : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static Algorithm algorithm(SubjectPublicKeyInfo info) {
        ASN1ObjectIdentifier oid = info.getAlgorithm().getAlgorithm();
        if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            return Algorithm.EC;
        }
        if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            return Algorithm.RSA;
        }
        if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
            return Algorithm.ED25519;
        }
        // Go parses these but no signer certifies them: "unknown public key type" rather than "not PKIX".
        if (oid.equals(DSA) || oid.equals(X25519)) {
            return Algorithm.OTHER_KNOWN;
        }
        return Algorithm.UNKNOWN;
    }

    /** The JDK key of {@code info}, for {@link Algorithm#EC}, {@link Algorithm#RSA} and {@link Algorithm#ED25519}. */
    static PublicKey toJdk(SubjectPublicKeyInfo info, Algorithm algorithm) throws GeneralSecurityException {
        String name = switch (algorithm) {
            case EC -> "EC";
            case RSA -> "RSA";
            case ED25519 -> "Ed25519";
            default -> throw new GeneralSecurityException("not a supported key algorithm: " + algorithm);
        };
        try {
            return KeyFactory.getInstance(name).generatePublic(new X509EncodedKeySpec(info.getEncoded()));
        } catch (IOException e) {
            throw new GeneralSecurityException("re-encoding the key failed", e);
        }
    }
}
