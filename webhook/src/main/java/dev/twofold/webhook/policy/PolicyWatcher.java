package dev.twofold.webhook.policy;

import dev.twofold.api.policy.PolicySet;
import dev.twofold.api.v1alpha1.MfaPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link PolicySnapshot} on the cluster's MfaPolicies: an informer whose every event rebuilds the set from
 * the informer's store (level-triggered: which event arrived does not matter) and swaps it in. The first set is
 * published only once the initial list is complete, so a partial set is never served.
 */
public final class PolicyWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyWatcher.class);

    private final PolicySnapshot snapshot;
    private final PolicyCompiler compiler = new PolicyCompiler();
    private final SharedIndexInformer<MfaPolicy> informer;
    private volatile boolean listed;

    public PolicyWatcher(KubernetesClient client, PolicySnapshot snapshot) {
        this.snapshot = snapshot;
        this.informer = client.resources(MfaPolicy.class).runnableInformer(0);
        informer.exceptionHandler((started, error) -> {
            LOG.atWarn().addKeyValue("error", error.toString()).log("watching MfaPolicies failed; retrying");
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(MfaPolicy policy) {
                rebuildIfListed();
            }

            @Override
            public void onUpdate(MfaPolicy previous, MfaPolicy policy) {
                rebuildIfListed();
            }

            @Override
            public void onDelete(MfaPolicy policy, boolean finalStateUnknown) {
                rebuildIfListed();
            }
        });
    }

    /** Starts the informer; completes once the first full set is published. */
    public CompletionStage<Void> start() {
        return informer.start().thenRun(() -> {
            listed = true;
            rebuild();
        });
    }

    private void rebuildIfListed() {
        if (listed) {
            rebuild();
        }
    }

    private synchronized void rebuild() {
        var policies = informer.getStore().list();
        PolicySet set = compiler.compile(policies);
        snapshot.replace(set);
        LOG.atInfo().addKeyValue("policies", set.size()).addKeyValue("skipped", policies.size() - set.size())
                .log("MfaPolicy set updated");
    }

    @Override
    public void close() {
        informer.close();
    }
}
