package dev.twofold.webhook.oidc;

import java.util.List;
import java.util.Map;

/**
 * The Kubernetes user a verified token stands for, shaped like a TokenReview's {@code status.user}.
 *
 * @param username the mapped user name claim with its prefix, e.g. {@code oidc:alice}
 * @param uid the {@code sub} claim
 * @param groups the mapped groups with their prefix; never {@code null}
 * @param extra the {@code twofold.dev/*} evidence ({@link dev.twofold.api.policy.Evidence} keys); never {@code null}
 */
public record AuthenticatedUser(String username, String uid, List<String> groups, Map<String, List<String>> extra) {

    public AuthenticatedUser {
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
    }
}
