package dev.twofold.operator.workload.issuer;

import dev.twofold.api.v1alpha1.KeyType;
import java.security.PublicKey;
import java.util.Objects;

/**
 * A public key whose holder proved possession of the private key (a verified CSR self-signature or
 * PodCertificateRequest proof), with its classified type. The only thing a request contributes to a certificate.
 *
 * @param key the key
 * @param type its type, as policies name it
 */
public record VerifiedPublicKey(PublicKey key, KeyType type) {

    public VerifiedPublicKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
    }
}
