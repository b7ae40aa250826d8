package dev.twofold.operator.pki;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** PEM encoding of certificates and PKCS#8 private keys, and lenient decoding of what users bring. */
public final class Pem {

    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {
    }

    /** The certificates as concatenated {@code CERTIFICATE} blocks, in order. */
    public static String certificates(List<X509Certificate> certificates) {
        StringBuilder out = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                out.append(block("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("a parsed certificate could not be re-encoded", e);
            }
        }
        return out.toString();
    }

    public static String certificate(X509Certificate certificate) {
        return certificates(List.of(certificate));
    }

    /** The key as a PKCS#8 {@code PRIVATE KEY} block (what {@code tls.key} holds). */
    public static String privateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("not a PKCS#8 key: " + key.getFormat());
        }
        return block("PRIVATE KEY", key.getEncoded());
    }

    /** Every {@code CERTIFICATE} block in {@code pem}, in order; at least one. */
    public static List<X509Certificate> parseCertificates(String pem) throws InvalidPemException {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof X509CertificateHolder holder) {
                    out.add(converter.getCertificate(holder));
                } else {
                    throw new InvalidPemException("holds a " + describe(item) + " where a certificate was expected");
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new InvalidPemException("is not PEM-encoded X.509 (" + e.getMessage() + ")", e);
        }
        if (out.isEmpty()) {
            throw new InvalidPemException("holds no PEM certificate");
        }
        return out;
    }

    /** The one private key in {@code pem}: PKCS#8, or the traditional SEC1 EC / PKCS#1 RSA forms. */
    public static PrivateKey parsePrivateKey(String pem) throws InvalidPemException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object item = parser.readObject();
            if (item == null) {
                throw new InvalidPemException("holds no PEM private key");
            }
            if (parser.readObject() != null) {
                throw new InvalidPemException("holds more than one PEM block");
            }
            return switch (item) {
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                // SEC1 / PKCS#1; the public half may be absent from a SEC1 key, so only the private one is converted
                case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
                default -> throw new InvalidPemException("holds a " + describe(item)
                        + " where an unencrypted private key was expected");
            };
        } catch (IOException | RuntimeException e) {
            throw new InvalidPemException("is not a PEM private key (" + e.getMessage() + ")", e);
        }
    }

    private static String describe(Object item) {
        return item.getClass().getSimpleName();
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + BASE64.encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
