package dev.twofold.api.v1alpha1;

/**
 * Workload key types a {@link WorkloadCertificatePolicy} may allow. Constant names are the wire names (as in the
 * Kubernetes PodCertificateRequest API), so they serialize as written in YAML.
 *
 * <p>PodCertificateRequests only carry RSA3072, RSA4096, ECDSAP256, ECDSAP384, ECDSAP521 and ED25519 keys, so
 * {@link #RSA2048} is only reachable through the CSR API and the agent endpoint; ECDSAP521 is not offered.
 */
public enum KeyType {
    ECDSAP256, ECDSAP384, RSA2048, RSA3072, RSA4096, ED25519
}
