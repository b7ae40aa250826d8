package dev.twofold.operator.workload.cluster;

import dev.twofold.api.v1alpha1.TrustDomain;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.operator.workload.attestation.ClusterView;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link ClusterView} whose caches start later than the objects that use it (informers start with the operator,
 * after wiring). Empty until then; the signers do not run before the caches are synced anyway.
 */
public final class DeferredClusterView implements ClusterView {

    private final AtomicReference<? extends ClusterView> target;

    public DeferredClusterView(AtomicReference<? extends ClusterView> target) {
        this.target = target;
    }

    @Override
    public Optional<Node> node(String name) {
        ClusterView view = target.get();
        return view == null ? Optional.empty() : view.node(name);
    }

    @Override
    public Optional<Pod> pod(String namespace, String name) {
        ClusterView view = target.get();
        return view == null ? Optional.empty() : view.pod(namespace, name);
    }

    @Override
    public List<WorkloadCertificatePolicy> policies(String namespace) {
        ClusterView view = target.get();
        return view == null ? List.of() : view.policies(namespace);
    }

    @Override
    public Optional<TrustDomain> trustDomain(String name) {
        ClusterView view = target.get();
        return view == null ? Optional.empty() : view.trustDomain(name);
    }
}
