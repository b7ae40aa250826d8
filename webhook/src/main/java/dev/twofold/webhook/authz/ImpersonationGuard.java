package dev.twofold.webhook.authz;

import dev.twofold.api.policy.Evidence;
import dev.twofold.api.policy.RequestAttributes;
import dev.twofold.webhook.server.OneLine;
import java.util.Locale;
import java.util.Set;

/**
 * Second-factor evidence lives in {@code user.extra["twofold.dev/*"]}, and whoever may impersonate those extras can
 * forge it (DESIGN §4). This guard denies {@code impersonate} on {@code userextras/twofold.dev/*} (and on
 * {@code userextras/*}) to everyone but the allow-listed authenticating proxies.
 */
public final class ImpersonationGuard {

    private static final String EVIDENCE_PREFIX = Evidence.AMR.substring(0, Evidence.AMR.indexOf('/') + 1);

    private final Set<String> proxies;

    /** @param proxies the user names allowed to impersonate evidence extras */
    public ImpersonationGuard(Set<String> proxies) {
        this.proxies = Set.copyOf(proxies);
    }

    /** The denial reason when {@code request} impersonates evidence without being a proxy; null otherwise. */
    public String check(RequestAttributes request) {
        if (!impersonatesEvidence(request) || proxies.contains(request.user())) {
            return null;
        }
        return "Twofold: impersonating second-factor evidence (userextras/" + OneLine.clean(request.subresource())
                + ") is reserved for the authenticating proxies allow-listed with --impersonation-proxies; user "
                + OneLine.quote(request.user()) + " is not one of them";
    }

    private static boolean impersonatesEvidence(RequestAttributes request) {
        if (!request.resource().equals("userextras")) {
            return false;
        }
        boolean verb = request.verb().equals("impersonate") || request.verb().equals("*");
        boolean group = request.apiGroup().equals("authentication.k8s.io") || request.apiGroup().equals("*");
        // The API server lower-cases extra keys from impersonation headers; compare the same way.
        String key = request.subresource().toLowerCase(Locale.ROOT);
        return verb && group && (key.equals("*") || key.startsWith(EVIDENCE_PREFIX));
    }
}
