package dev.twofold.operator.workload.issuer;

import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a workload certificate must say, for {@link CertificateProfileValidator}.
 *
 * @param spiffeId the one URI SAN
 * @param dnsNames exactly these DNS SANs, in this order
 * @param publicKey the certified key
 * @param maxLifetime the longest acceptable notAfter - notBefore
 */
public record ExpectedLeaf(String spiffeId, List<String> dnsNames, PublicKey publicKey, Duration maxLifetime) {

    public ExpectedLeaf {
        Objects.requireNonNull(spiffeId, "spiffeId");
        dnsNames = List.copyOf(dnsNames);
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(maxLifetime, "maxLifetime");
    }
}
