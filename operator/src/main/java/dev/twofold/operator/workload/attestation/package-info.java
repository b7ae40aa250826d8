/**
 * Node and pod attestation for every issuance path: {@link dev.twofold.operator.workload.attestation.Attestor}
 * checks an {@link dev.twofold.operator.workload.attestation.AttestationClaim} (what the API server verified about the
 * requester) against the cluster as a {@link dev.twofold.operator.workload.attestation.ClusterView} shows it (later
 * backed by informer caches) and finds the one policy that covers the pod.
 */
package dev.twofold.operator.workload.attestation;
