package dev.twofold.operator.workload.issuer;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A signed and re-validated workload certificate.
 *
 * @param chain the leaf first, then intermediates (never the trust anchor): what a PodCertificateRequest's
 *     {@code certificateChain} or a CSR's {@code certificate} carries
 * @param spiffeId the certificate's one URI SAN
 * @param dnsNames its DNS SANs, in policy order
 * @param notBefore its notBefore
 * @param notAfter its notAfter
 * @param beginRefreshAt when the holder should start renewing: half-way through the lifetime
 */
public record IssuedCertificate(List<X509Certificate> chain, String spiffeId, List<String> dnsNames,
        Instant notBefore, Instant notAfter, Instant beginRefreshAt) {

    public IssuedCertificate {
        chain = List.copyOf(chain);
        dnsNames = List.copyOf(dnsNames);
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    public BigInteger serialNumber() {
        return certificate().getSerialNumber();
    }
}
