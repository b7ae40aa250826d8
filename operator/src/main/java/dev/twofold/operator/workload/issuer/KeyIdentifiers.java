package dev.twofold.operator.workload.issuer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/** Subject and authority key identifiers: RFC 7093 method 1 (SHA-256 of the key bits, first 160 bits). */
final class KeyIdentifiers {

    private KeyIdentifiers() {
    }

    /** The key identifier Twofold puts in the SKI of a certificate for {@code key}. */
    static byte[] of(PublicKey key) {
        byte[] bits = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(bits), 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** {@code certificate}'s SKI, or {@code null} when it has none. */
    static byte[] subjectKeyId(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension == null) {
            return null;
        }
        return ASN1OctetString.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getOctets();
    }

    /** The keyIdentifier of {@code certificate}'s AKI, or {@code null} when it has none. */
    static byte[] authorityKeyId(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        if (extension == null) {
            return null;
        }
        return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets())
                .getKeyIdentifierOctets();
    }

    /** What leaves issued by {@code ca} carry as AKI: the CA's SKI, or one computed from its key. */
    static byte[] forIssuer(X509Certificate ca) {
        byte[] ski = subjectKeyId(ca);
        return ski != null ? ski : of(ca.getPublicKey());
    }
}
