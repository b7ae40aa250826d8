package dev.twofold.operator.workload.cluster;

import dev.twofold.api.v1alpha1.TrustDomain;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.operator.workload.attestation.ClusterView;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * A {@link ClusterView} that reads the API server directly. Used only to confirm a failed attestation before denying:
 * a denial blocks the pod for good, so it must not rest on an informer cache that has not yet seen a fresh pod.
 */
public final class LiveClusterView implements ClusterView {

    private final KubernetesClient client;

    public LiveClusterView(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<Node> node(String name) {
        return Optional.ofNullable(client.nodes().withName(name).get());
    }

    @Override
    public Optional<Pod> pod(String namespace, String name) {
        return Optional.ofNullable(client.pods().inNamespace(namespace).withName(name).get());
    }

    @Override
    public List<WorkloadCertificatePolicy> policies(String namespace) {
        return client.resources(WorkloadCertificatePolicy.class).inNamespace(namespace).list().getItems();
    }

    @Override
    public Optional<TrustDomain> trustDomain(String name) {
        return Optional.ofNullable(client.resources(TrustDomain.class).withName(name).get());
    }
}
