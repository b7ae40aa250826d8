package dev.twofold.operator.agent;

import dev.twofold.api.v1alpha1.KeyType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A fresh key pair per certificate and its PKCS#10 request. The request carries no subject or extensions: the CA
 * takes only the public key and builds the certificate from policy.
 */
final class WorkloadKeys {

    private final SecureRandom random;

    WorkloadKeys(SecureRandom random) {
        this.random = random;
    }

    KeyPair generate(KeyType type) {
        try {
            KeyPairGenerator generator = switch (type) {
                case ECDSAP256, ECDSAP384 -> {
                    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
                    ec.initialize(new ECGenParameterSpec(type == KeyType.ECDSAP256 ? "secp256r1" : "secp384r1"),
                            random);
                    yield ec;
                }
                case ED25519 -> KeyPairGenerator.getInstance("Ed25519");
                case RSA2048, RSA3072, RSA4096 -> {
                    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
                    rsa.initialize(switch (type) {
                        case RSA2048 -> 2048;
                        case RSA3072 -> 3072;
                        default -> 4096;
                    }, random);
                    yield rsa;
                }
            };
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate " + type + " keys", e);
        }
    }

    /** The PEM {@code CERTIFICATE REQUEST} for {@code keys}, self-signed with the key's usual algorithm. */
    String certificateRequest(KeyType type, KeyPair keys) {
        String algorithm = switch (type) {
            case ECDSAP256 -> "SHA256withECDSA";
            case ECDSAP384 -> "SHA384withECDSA";
            case ED25519 -> "Ed25519";
            case RSA2048, RSA3072, RSA4096 -> "SHA256withRSA";
        };
        try {
            byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Principal(""), keys.getPublic())
                    .build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate()))
                    .getEncoded();
            return "-----BEGIN CERTIFICATE REQUEST-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                    + "\n-----END CERTIFICATE REQUEST-----\n";
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a certificate request with " + algorithm, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
