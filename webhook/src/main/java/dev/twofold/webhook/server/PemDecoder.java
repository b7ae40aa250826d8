package dev.twofold.webhook.server;

import java.io.ByteArrayInputStream;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM of a {@code kubernetes.io/tls} Secret: a certificate chain ({@code CERTIFICATE} blocks, leaf first)
 * and one private key, as PKCS#8 ({@code PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}) or PKCS#1
 * ({@code RSA PRIVATE KEY}). Error messages never contain key material.
 */
final class PemDecoder {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    // id-ecPublicKey (1.2.840.10045.2.1) and rsaEncryption (1.2.840.113549.1.1.1) with its NULL parameters
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02,
        0x01};
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private record Block(String type, byte[] der) {
    }

    private PemDecoder() {
    }

    /** The certificates of {@code pem}, in order. */
    static List<X509Certificate> certificates(String pem) throws InvalidCertificate {
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 support", e);
        }
        for (Block block : blocks(pem, "tls.crt")) {
            if (!block.type().equals("CERTIFICATE")) {
                continue;
            }
            try {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            } catch (CertificateException e) {
                throw new InvalidCertificate("tls.crt: certificate " + (chain.size() + 1) + " cannot be parsed: "
                        + e.getMessage(), e);
            }
        }
        if (chain.isEmpty()) {
            throw new InvalidCertificate("tls.crt contains no CERTIFICATE block");
        }
        return List.copyOf(chain);
    }

    /** The first private key of {@code pem}. */
    static PrivateKey privateKey(String pem) throws InvalidCertificate {
        for (Block block : blocks(pem, "tls.key")) {
            switch (block.type()) {
                case "PRIVATE KEY":
                    return pkcs8(block.der());
                case "EC PRIVATE KEY":
                    return decode("EC", Der.sequence(Der.integerZero(),
                            Der.sequence(EC_PUBLIC_KEY_OID, sec1Curve(block.der())), Der.octetString(block.der())));
                case "RSA PRIVATE KEY":
                    return decode("RSA", Der.sequence(Der.integerZero(), RSA_ALGORITHM, Der.octetString(block.der())));
                case "ENCRYPTED PRIVATE KEY":
                    throw new InvalidCertificate("tls.key is encrypted; the webhook needs an unencrypted key");
                default:
                    // e.g. "EC PARAMETERS" from openssl ecparam -genkey: not a key
            }
        }
        throw new InvalidCertificate("tls.key contains no PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block");
    }

    private static PrivateKey pkcs8(byte[] der) throws InvalidCertificate {
        try {
            return decode("EC", der);
        } catch (InvalidCertificate notEc) {
            return decode("RSA", der);
        }
    }

    private static PrivateKey decode(String algorithm, byte[] pkcs8) throws InvalidCertificate {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (InvalidKeySpecException e) {
            throw new InvalidCertificate("tls.key is not an ECDSA or RSA private key the JDK can read", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + algorithm + " key factory", e);
        }
    }

    /** The named curve OID TLV of a SEC1 ECPrivateKey: {@code SEQUENCE {version, key, [0] curve, [1] public}}. */
    private static byte[] sec1Curve(byte[] sec1) throws InvalidCertificate {
        Der.Element outer = Der.read(sec1, 0, sec1.length);
        if (outer.tag() != Der.SEQUENCE) {
            throw new InvalidCertificate("tls.key: EC PRIVATE KEY is not a DER SEQUENCE");
        }
        for (Der.Element field : Der.children(outer)) {
            if (field.tag() == 0xa0) {
                Der.Element curve = Der.read(field.source(), field.start(), field.end());
                if (curve.tag() != Der.OBJECT_IDENTIFIER) {
                    break;
                }
                return curve.encoded();
            }
        }
        throw new InvalidCertificate("tls.key: EC PRIVATE KEY does not name its curve; write it with its "
                + "parameters (e.g. openssl ec -param_out) or as PKCS#8");
    }

    private static List<Block> blocks(String pem, String field) throws InvalidCertificate {
        if (pem == null || pem.isBlank()) {
            throw new InvalidCertificate(field + " is missing or empty");
        }
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(pem);
        while (matcher.find()) {
            try {
                blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
            } catch (IllegalArgumentException e) {
                throw new InvalidCertificate(field + ": a " + matcher.group(1) + " block is not valid base64");
            }
        }
        if (blocks.isEmpty()) {
            throw new InvalidCertificate(field + " is not PEM (no -----BEGIN ...----- block)");
        }
        return blocks;
    }
}
