package dev.twofold.operator.workload.issuance;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of {@code POST /v1/certificates} to an attested pod.
 *
 * @param spiffeId the certificate's SPIFFE ID
 * @param certificateChain PEM: the leaf first, then intermediates (never the trust anchor)
 * @param trustBundle PEM: every CA the trust domain's peers trust now, to verify peers with
 * @param notBefore RFC 3339
 * @param notAfter RFC 3339
 * @param beginRefreshAt RFC 3339: ask for a new certificate from then on (half of its lifetime)
 * @param policy {@code <namespace>/<name>} of the WorkloadCertificatePolicy that issued it
 */
@JsonPropertyOrder({"spiffeId", "certificateChain", "trustBundle", "notBefore", "notAfter", "beginRefreshAt",
    "policy"})
public record CertificateResponse(String spiffeId, String certificateChain, String trustBundle, String notBefore,
        String notAfter, String beginRefreshAt, String policy) {
}
