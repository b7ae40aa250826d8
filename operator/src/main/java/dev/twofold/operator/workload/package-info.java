/**
 * The machine path (DESIGN §1, §4): attested, short-lived SPIFFE X.509 certificates for pods.
 *
 * <p>Three request paths (PodCertificateRequest signer, CSR-API signer, agent endpoint) share one pipeline of pure
 * parts: verify the requester's key ({@link dev.twofold.operator.workload.issuer.ProofOfPossession},
 * {@link dev.twofold.operator.workload.issuer.CsrVerifier}), attest node and pod against the cluster
 * ({@link dev.twofold.operator.workload.attestation.Attestor} over a
 * {@link dev.twofold.operator.workload.attestation.ClusterView}), then build, sign and re-validate the certificate
 * ({@link dev.twofold.operator.workload.issuer.WorkloadIssuer}) with the trust domain's active CA, whose lifecycle
 * {@link dev.twofold.operator.workload.ca.CaRotation} plans.
 */
package dev.twofold.operator.workload;
