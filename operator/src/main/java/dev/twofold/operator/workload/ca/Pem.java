package dev.twofold.operator.workload.ca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * PEM for CA material: certificate chains ({@code CERTIFICATE} blocks) and unencrypted PKCS#8 private keys
 * ({@code PRIVATE KEY}). Errors name the {@code source} (e.g. a Secret data key) and say what was expected.
 */
public final class Pem {

    private Pem() {
    }

    static List<X509Certificate> certificates(String pem, String source) throws CaMaterialException {
        List<PemObject> blocks = blocks(pem, source);
        if (blocks.isEmpty()) {
            throw new CaMaterialException(CaMaterialException.Reason.MALFORMED_ENCODING,
                    source + ": no PEM block (expected CERTIFICATE)");
        }
        List<X509Certificate> certificates = new ArrayList<>(blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            PemObject block = blocks.get(i);
            if (!block.getType().equals("CERTIFICATE")) {
                throw new CaMaterialException(CaMaterialException.Reason.UNSUPPORTED_PEM_TYPE,
                        source + ": PEM block " + i + " is " + block.getType() + ", expected CERTIFICATE");
            }
            try {
                certificates.add((X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(block.getContent())));
            } catch (CertificateException | RuntimeException e) {
                throw new CaMaterialException(CaMaterialException.Reason.MALFORMED_CERTIFICATE,
                        source + ": PEM block " + i + " is not an X.509 certificate", e);
            }
        }
        return List.copyOf(certificates);
    }

    static PrivateKey privateKey(String pem, String source) throws CaMaterialException {
        List<PemObject> blocks = blocks(pem, source);
        if (blocks.size() != 1) {
            throw new CaMaterialException(CaMaterialException.Reason.MALFORMED_ENCODING,
                    source + ": expected exactly one PEM block (PRIVATE KEY), found " + blocks.size());
        }
        PemObject block = blocks.get(0);
        switch (block.getType()) {
            case "PRIVATE KEY" -> {
            }
            case "ENCRYPTED PRIVATE KEY" -> throw new CaMaterialException(
                    CaMaterialException.Reason.UNSUPPORTED_PEM_TYPE, source + ": the private key is encrypted; "
                    + "store it unencrypted as PKCS#8 (openssl pkcs8 -topk8 -nocrypt)");
            case "EC PRIVATE KEY", "RSA PRIVATE KEY" -> throw new CaMaterialException(
                    CaMaterialException.Reason.UNSUPPORTED_PEM_TYPE, source + ": " + block.getType()
                    + " is a legacy format; convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)");
            default -> throw new CaMaterialException(CaMaterialException.Reason.UNSUPPORTED_PEM_TYPE,
                    source + ": PEM block is " + block.getType() + ", expected PRIVATE KEY");
        }
        if (!block.getHeaders().isEmpty()) {
            throw new CaMaterialException(CaMaterialException.Reason.UNSUPPORTED_PEM_TYPE,
                    source + ": the PRIVATE KEY block has headers (an encrypted legacy key?)");
        }
        String algorithm;
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(block.getContent());
            var oid = info.getPrivateKeyAlgorithm().getAlgorithm();
            if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                algorithm = "EC";
            } else if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
                algorithm = "RSA";
            } else if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
                algorithm = "Ed25519";
            } else {
                throw new CaMaterialException(CaMaterialException.Reason.MALFORMED_KEY,
                        source + ": unsupported private key algorithm " + oid.getId() + " (use EC, RSA or Ed25519)");
            }
        } catch (IllegalArgumentException e) {
            throw new CaMaterialException(CaMaterialException.Reason.MALFORMED_KEY,
                    source + ": the PRIVATE KEY block is not PKCS#8", e);
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(block.getContent()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CaMaterialException(CaMaterialException.Reason.MALFORMED_KEY,
                    source + ": the " + algorithm + " private key does not parse", e);
        }
    }

    /** Encoding is the operator's one PEM writer; only parsing here is CA-specific (typed CA material errors). */
    public static String encodeCertificates(List<X509Certificate> certificates) {
        return dev.twofold.operator.pki.Pem.certificates(certificates);
    }

    static String encodePrivateKey(PrivateKey key) {
        return dev.twofold.operator.pki.Pem.privateKey(key);
    }

    private static List<PemObject> blocks(String pem, String source) throws CaMaterialException {
        List<PemObject> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            PemObject block;
            while ((block = reader.readPemObject()) != null) {
                blocks.add(block);
            }
        } catch (IOException | RuntimeException e) {
            // BouncyCastle throws IOException for a missing END line and DecoderException for bad base64.
            throw new CaMaterialException(CaMaterialException.Reason.MALFORMED_ENCODING,
                    source + ": broken PEM (" + e.getMessage() + ")", e);
        }
        return blocks;
    }
}
