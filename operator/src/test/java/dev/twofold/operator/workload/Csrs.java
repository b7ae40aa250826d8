package dev.twofold.operator.workload;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Provider;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** PKCS#10 requests for tests, honest or hostile. */
public final class Csrs {

    private Csrs() {
    }

    /** A plain DER CSR signed with {@code algorithm}. */
    public static byte[] der(KeyPair keys, String algorithm) {
        return build(keys, algorithm, false, null, null);
    }

    /** A PEM CSR signed with the usual algorithm for the key. */
    public static byte[] pem(KeyPair keys) {
        return toPem(der(keys, defaultAlgorithm(keys)));
    }

    /**
     * A CSR asking for more than it should: subject CN=admin, SANs for DNS names, a mail address and a non-SPIFFE URI,
     * CA:true, keyCertSign and a challenge password. None of it may reach a certificate.
     */
    public static byte[] greedy(KeyPair keys) {
        return build(keys, defaultAlgorithm(keys), true, null, null);
    }

    /** {@link #greedy} plus a SAN URI asking for {@code spiffeId}. */
    public static byte[] askingFor(KeyPair keys, String spiffeId) {
        return build(keys, defaultAlgorithm(keys), true, null, spiffeId);
    }

    /** A CSR signed through {@code provider} (e.g. BouncyCastle, for algorithms the JDK lacks). */
    public static byte[] der(KeyPair keys, String algorithm, Provider provider) {
        return build(keys, algorithm, false, provider, null);
    }

    public static String defaultAlgorithm(KeyPair keys) {
        return switch (keys.getPublic().getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> "Ed25519";
        };
    }

    public static byte[] toPem(byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject("CERTIFICATE REQUEST", der));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] build(KeyPair keys, String algorithm, boolean greedy, Provider provider, String spiffeId) {
        try {
            PKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(
                    new X500Name(greedy ? "CN=admin,O=system:masters" : "CN=workload"), keys.getPublic());
            if (greedy) {
                ExtensionsGenerator extensions = new ExtensionsGenerator();
                java.util.List<GeneralName> names = new java.util.ArrayList<>(java.util.List.of(
                        new GeneralName(GeneralName.dNSName, "kubernetes.default.svc"),
                        new GeneralName(GeneralName.rfc822Name, "root@example.com"),
                        new GeneralName(GeneralName.uniformResourceIdentifier, "https://admin.example.com/")));
                if (spiffeId != null) {
                    names.add(0, new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId));
                }
                extensions.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
                extensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                extensions.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword,
                        new DERPrintableString("letmein"));
            }
            JcaContentSignerBuilder signer = new JcaContentSignerBuilder(algorithm);
            if (provider != null) {
                signer.setProvider(provider);
            }
            return builder.build(signer.build(keys.getPrivate())).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
