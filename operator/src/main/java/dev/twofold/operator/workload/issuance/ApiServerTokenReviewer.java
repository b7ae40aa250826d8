package dev.twofold.operator.workload.issuance;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;

/**
 * Reviews tokens with the API server's TokenReview ({@code create tokenreviews}, as in {@code system:auth-delegator}).
 * The API server checks the signature, expiry, audience and that the object the token is bound to still exists
 * with the same UID.
 */
public final class ApiServerTokenReviewer implements TokenReviewer {

    private final KubernetesClient client;

    public ApiServerTokenReviewer(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public ReviewedToken review(String token, String audience) throws TokenReviewUnavailable {
        TokenReview review;
        try {
            review = client.tokenReviews().create(new TokenReviewBuilder()
                    .withNewSpec().withToken(token).withAudiences(audience).endSpec()
                    .build());
        } catch (KubernetesClientException e) {
            throw new TokenReviewUnavailable("the API server could not review the token (HTTP " + e.getCode() + ")",
                    e);
        }
        TokenReviewStatus status = review.getStatus();
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated()) || status.getUser() == null) {
            String error = status == null || status.getError() == null || status.getError().isBlank()
                    ? "the token is not valid" : status.getError();
            return new ReviewedToken.Rejected(error);
        }
        // The service account authenticator echoes the audiences it validated; an answer without ours may come from
        // an authenticator that ignores audiences (a token meant for the API server itself): fail closed.
        List<String> audiences = status.getAudiences();
        if (audiences == null || !audiences.contains(audience)) {
            return new ReviewedToken.Rejected("the API server did not confirm the token's audience " + audience);
        }
        return new ReviewedToken.Authenticated(status.getUser().getUsername(), status.getUser().getExtra());
    }
}
