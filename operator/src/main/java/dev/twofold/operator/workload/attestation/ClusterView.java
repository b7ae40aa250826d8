package dev.twofold.operator.workload.attestation;

import dev.twofold.api.v1alpha1.TrustDomain;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/**
 * What attestation reads from the cluster. The operator backs it with informer caches (readiness waits for their
 * sync); tests with maps. Implementations must be thread-safe and must not call the API server per request.
 */
public interface ClusterView {

    Optional<Node> node(String name);

    Optional<Pod> pod(String namespace, String name);

    /** Every WorkloadCertificatePolicy of {@code namespace}. */
    List<WorkloadCertificatePolicy> policies(String namespace);

    /** The TrustDomain object named {@code name}. */
    Optional<TrustDomain> trustDomain(String name);
}
