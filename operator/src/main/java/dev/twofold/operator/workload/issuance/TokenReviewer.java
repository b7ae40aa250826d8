package dev.twofold.operator.workload.issuance;

/** Asks the API server who a bearer token belongs to. */
@FunctionalInterface
public interface TokenReviewer {

    /**
     * Reviews {@code token} for {@code audience}.
     *
     * @throws TokenReviewUnavailable when the API server cannot be asked (nothing is known about the token)
     */
    ReviewedToken review(String token, String audience) throws TokenReviewUnavailable;
}
