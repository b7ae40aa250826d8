/**
 * The agent-facing issuance endpoint {@code POST /v1/certificates}, for clusters or workloads without
 * PodCertificateRequests: a pod presents its projected service account token (audience {@code twofold}) and a
 * PKCS#10 request; the API server's TokenReview says which pod the token is bound to, and the same attestation and
 * issuer as the other paths decide.
 */
package dev.twofold.operator.workload.issuance;
