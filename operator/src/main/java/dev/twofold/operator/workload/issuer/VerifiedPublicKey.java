package dev.twofold.operator.workload.issuer;

import dev.twofold.api.v1alpha1.KeyType;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;

/**
 * A public key whose holder proved possession of the private key (a verified CSR self-signature or
 * PodCertificateRequest proof), with its classified type. The only thing a request contributes to a certificate.
 *
 * @param key the key
 * @param type its type, as policies name it
 * @param requestedSpiffeIds the SPIFFE IDs a CSR asked for in its subjectAltName request, if any: never copied, only
 *     compared with the one policy gives the pod, so that a request for a foreign identity is refused rather than
 *     silently answered with another one
 */
public record VerifiedPublicKey(PublicKey key, KeyType type, List<String> requestedSpiffeIds) {

    public VerifiedPublicKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        requestedSpiffeIds = List.copyOf(requestedSpiffeIds);
    }

    /** A key from a request that names no identity (a PodCertificateRequest, or a CSR without URI SANs). */
    public VerifiedPublicKey(PublicKey key, KeyType type) {
        this(key, type, List.of());
    }
}
