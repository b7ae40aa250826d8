/**
 * Issuance of workload certificates: verifying the requester's key ({@link
 * dev.twofold.operator.workload.issuer.ProofOfPossession} for PodCertificateRequests, {@link
 * dev.twofold.operator.workload.issuer.CsrVerifier} for PKCS#10), then building the certificate from policy alone,
 * signing it and re-validating it ({@link dev.twofold.operator.workload.issuer.WorkloadIssuer},
 * {@link dev.twofold.operator.workload.issuer.CertificateProfileValidator}). A CSR contributes its verified public key
 * and nothing else.
 */
package dev.twofold.operator.workload.issuer;
