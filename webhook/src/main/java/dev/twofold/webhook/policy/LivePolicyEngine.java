package dev.twofold.webhook.policy;

import dev.twofold.api.policy.Decision;
import dev.twofold.api.policy.Evidence;
import dev.twofold.api.policy.PolicySet;
import dev.twofold.api.policy.RequestAttributes;
import java.time.Clock;

/**
 * The {@link PolicyEngine} of the running webhook: the current {@link PolicySnapshot}, namespace labels from the
 * namespace informer, and the clock. Never compiles anything: that happens on the informer thread.
 */
public final class LivePolicyEngine implements PolicyEngine {

    private final PolicySnapshot policies;
    private final NamespaceLabels namespaces;
    private final Clock clock;

    public LivePolicyEngine(PolicySnapshot policies, NamespaceLabels namespaces, Clock clock) {
        this.policies = policies;
        this.namespaces = namespaces;
        this.clock = clock;
    }

    @Override
    public Decision decide(RequestAttributes request, Evidence evidence) throws PoliciesNotLoaded {
        PolicySet set = policies.current();
        if (set == null) {
            throw new PoliciesNotLoaded("MfaPolicies");
        }
        if (!namespaces.synced()) {
            throw new PoliciesNotLoaded("namespace labels");
        }
        RequestAttributes labelled = request.clusterScoped() ? request : new RequestAttributes(request.user(),
                request.groups(), request.verb(), request.apiGroup(), request.resource(), request.subresource(),
                request.namespace(), namespaces.labels(request.namespace()), request.name());
        return set.evaluate(labelled, evidence, clock.instant());
    }
}
