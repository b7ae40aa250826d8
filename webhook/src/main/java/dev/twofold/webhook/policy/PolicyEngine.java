package dev.twofold.webhook.policy;

import dev.twofold.api.policy.Decision;
import dev.twofold.api.policy.Evidence;
import dev.twofold.api.policy.RequestAttributes;

/** Decides one request against the live MfaPolicies; the seam between the review endpoints and the informers. */
@FunctionalInterface
public interface PolicyEngine {

    /**
     * The decision for {@code request} carrying {@code evidence}, now.
     *
     * @param request the request; its namespace labels are filled in by the engine
     * @throws PoliciesNotLoaded before the policies and namespaces are first synced
     */
    Decision decide(RequestAttributes request, Evidence evidence) throws PoliciesNotLoaded;
}
