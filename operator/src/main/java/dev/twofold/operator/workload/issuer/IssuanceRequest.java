package dev.twofold.operator.workload.issuer;

import dev.twofold.api.v1alpha1.TrustDomain;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.operator.workload.WorkloadIdentity;
import dev.twofold.operator.workload.ca.CertificateAuthority;
import java.util.Objects;

/**
 * Everything a certificate is made from. Built by the request paths after key verification and attestation; the
 * request's own bytes contribute the verified key only.
 *
 * @param publicKey the requester's verified key
 * @param identity the attested pod (values from the API server's objects)
 * @param policy the one policy that matched the pod
 * @param trustDomain the policy's trust domain
 * @param ca the trust domain's active CA
 * @param lifetime the request path's lifetime limits
 */
public record IssuanceRequest(VerifiedPublicKey publicKey, WorkloadIdentity identity, WorkloadCertificatePolicy policy,
        TrustDomain trustDomain, CertificateAuthority ca, RequestedLifetime lifetime) {

    public IssuanceRequest {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(policy.getSpec(), "policy.spec");
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(trustDomain.getSpec(), "trustDomain.spec");
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(lifetime, "lifetime");
    }
}
