package dev.twofold.operator.workload.cluster;

import dev.twofold.api.v1alpha1.TrustDomain;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.operator.workload.attestation.ClusterView;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Optional;

/**
 * A {@link ClusterView} over fabric8 informer caches of Nodes, Pods, WorkloadCertificatePolicies and TrustDomains:
 * attestation reads memory, never the API server. {@link #synced()} gates the signers, so a request is never judged
 * against a cache that is still filling.
 */
public final class InformerClusterView implements ClusterView, AutoCloseable {

    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<WorkloadCertificatePolicy> policies;
    private final SharedIndexInformer<TrustDomain> trustDomains;

    private InformerClusterView(SharedIndexInformer<Node> nodes, SharedIndexInformer<Pod> pods,
            SharedIndexInformer<WorkloadCertificatePolicy> policies, SharedIndexInformer<TrustDomain> trustDomains) {
        this.nodes = nodes;
        this.pods = pods;
        this.policies = policies;
        this.trustDomains = trustDomains;
    }

    /** Starts the four informers (they fill in the background; see {@link #synced()}). */
    public static InformerClusterView start(KubernetesClient client) {
        return new InformerClusterView(client.nodes().inform(), client.pods().inAnyNamespace().inform(),
                client.resources(WorkloadCertificatePolicy.class).inAnyNamespace().inform(),
                client.resources(TrustDomain.class).inform());
    }

    /** Whether every cache has completed its first list. */
    public boolean synced() {
        return nodes.hasSynced() && pods.hasSynced() && policies.hasSynced() && trustDomains.hasSynced();
    }

    @Override
    public Optional<Node> node(String name) {
        return Optional.ofNullable(nodes.getStore().getByKey(name));
    }

    @Override
    public Optional<Pod> pod(String namespace, String name) {
        return Optional.ofNullable(pods.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)));
    }

    @Override
    public List<WorkloadCertificatePolicy> policies(String namespace) {
        return List.copyOf(policies.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace));
    }

    @Override
    public Optional<TrustDomain> trustDomain(String name) {
        return Optional.ofNullable(trustDomains.getStore().getByKey(name));
    }

    @Override
    public void close() {
        nodes.close();
        pods.close();
        policies.close();
        trustDomains.close();
    }
}
