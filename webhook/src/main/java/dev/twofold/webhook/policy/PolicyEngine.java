package dev.twofold.webhook.policy;

import dev.twofold.api.policy.Decision;
import dev.twofold.api.policy.Evidence;
import dev.twofold.api.policy.RequestAttributes;

/** Decides one request against the live MfaPolicies; the seam between the review endpoints and the informers. */
@FunctionalInterface
public interface PolicyEngine {

    /** What a review answers when evaluation failed: both endpoints refuse the request (fail closed). */
    String FAIL_CLOSED = "Twofold could not evaluate MfaPolicies (internal error); failing closed";
    /** What a review answers before the policies are first synced. */
    String NOT_LOADED = "Twofold has not loaded the MfaPolicies yet (starting up); failing closed";

    /**
     * The decision for {@code request} carrying {@code evidence}, now.
     *
     * @param request the request; its namespace labels are filled in by the engine
     * @throws PoliciesNotLoaded before the policies and namespaces are first synced
     */
    Decision decide(RequestAttributes request, Evidence evidence) throws PoliciesNotLoaded;
}
