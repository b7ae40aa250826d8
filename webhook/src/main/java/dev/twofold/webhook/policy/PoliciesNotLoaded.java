package dev.twofold.webhook.policy;

/** The engine cannot decide yet: the informers have not synced. Endpoints fail closed on it. */
public final class PoliciesNotLoaded extends Exception {

    private static final long serialVersionUID = 1L;

    public PoliciesNotLoaded(String what) {
        super(what + " not synced yet", null, false, false);
    }
}
