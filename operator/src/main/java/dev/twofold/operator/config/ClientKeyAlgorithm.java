package dev.twofold.operator.config;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * fabric8 7.5.2 reads a PKCS#8 ({@code BEGIN PRIVATE KEY}) client key as RSA unless told the algorithm, so kubeconfigs
 * with ECDSA client keys (the dev harness's, many installers') fail with "Invalid DER". This reads the key's algorithm
 * from the key itself and tells the client.
 */
public final class ClientKeyAlgorithm {

    private ClientKeyAlgorithm() {
    }

    /** Sets {@code config}'s client key algorithm from its PKCS#8 client key, if it has one. */
    public static void detect(Config config) {
        String pem = clientKeyPem(config);
        if (pem == null || !pem.contains("-----BEGIN PRIVATE KEY-----")) {
            return;
        }
        try {
            String body = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END"));
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(Base64.getMimeDecoder().decode(body));
            var algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
            if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
                config.setClientKeyAlgo("EC");
            } else if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
                config.setClientKeyAlgo("RSA");
            }
        } catch (RuntimeException e) {
            // Not decodable here: leave it to fabric8, whose error names the kubeconfig.
        }
    }

    private static String clientKeyPem(Config config) {
        try {
            if (config.getClientKeyData() != null) {
                return new String(Base64.getDecoder().decode(config.getClientKeyData().strip()), StandardCharsets.US_ASCII);
            }
            if (config.getClientKeyFile() != null) {
                return Files.readString(Path.of(config.getClientKeyFile()), StandardCharsets.US_ASCII);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
