package dev.twofold.operator.workload.issuance;

/** The API server could not review a token: the requester may ask again. */
public final class TokenReviewUnavailable extends Exception {

    private static final long serialVersionUID = 1L;

    public TokenReviewUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
