package dev.twofold.webhook.authn;

import dev.twofold.webhook.oidc.AuthenticatedUser;
import dev.twofold.webhook.oidc.TokenAuthenticator;
import dev.twofold.webhook.oidc.TokenVerification;
import dev.twofold.webhook.oidc.VerificationFailure;
import dev.twofold.webhook.oidc.VerifiedToken;
import dev.twofold.webhook.server.Endpoint;
import dev.twofold.webhook.server.JsonCodec;
import dev.twofold.webhook.server.OneLine;
import dev.twofold.webhook.server.Outcome;
import dev.twofold.webhook.server.Reply;
import dev.twofold.webhook.server.RequestRejected;
import dev.twofold.webhook.server.Route;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code POST /authenticate}: the TokenReview webhook authenticator, for clusters that cannot use structured
 * authentication. A valid OIDC token yields the same user as structured authentication would (see
 * {@link dev.twofold.webhook.oidc.TokenVerifier}); an invalid one {@code authenticated: false} with
 * {@code status.error} naming the reason. A body that is not a TokenReview is a 400 with {@code {"error": ...}}.
 *
 * <p>Audiences: the API server puts its own audiences (its {@code --api-audiences}, by default the service-account
 * issuer) in every review's {@code spec.audiences}, while an OIDC token's {@code aud} is its client ID. A token counts
 * as valid for a requested audience when its {@code aud} contains it, or when the audience is one of
 * {@code apiServerAudiences}: the OidcIssuer configuration is what makes its tokens API server credentials, as
 * {@code audiences} does in structured authentication. The answer's {@code status.audiences} is that intersection;
 * when it is empty the token is rejected as {@code wrong_audience}. With no {@code spec.audiences}, no audiences are
 * returned, which the API server reads as "valid for the API server".
 */
public final class TokenReviewEndpoint implements Endpoint {

    public static final String PATH = "/authenticate";
    /** The metric tag. */
    public static final String NAME = "authenticate";
    public static final String API_VERSION = "authentication.k8s.io/v1";
    /** Older API servers default to sending v1beta1; the schema is the same, and the answer echoes the version. */
    public static final String API_VERSION_BETA = "authentication.k8s.io/v1beta1";
    public static final String KIND = "TokenReview";

    private final TokenAuthenticator authenticator;
    private final Set<String> apiServerAudiences;
    private final JsonCodec json;

    /**
     * @param authenticator verifies the tokens
     * @param apiServerAudiences the API server's own audiences (its {@code --api-audiences}); may be empty, and then
     *     only a token whose {@code aud} matches a requested audience passes a review that names audiences
     * @param json the webhook's codec
     */
    public TokenReviewEndpoint(TokenAuthenticator authenticator, Set<String> apiServerAudiences, JsonCodec json) {
        this.authenticator = authenticator;
        this.apiServerAudiences = Set.copyOf(apiServerAudiences);
        this.json = json;
    }

    /** This endpoint at {@value #PATH}. */
    public Route route() {
        return new Route(PATH, NAME, this);
    }

    @Override
    public Reply handle(InputStream body) throws RequestRejected, IOException {
        TokenReview review = json.read(body, TokenReview.class, KIND);
        TokenReview.Spec spec = validate(review);
        List<String> requested = spec.audiences() == null ? List.of() : spec.audiences();

        TokenVerification verification = authenticator.verify(spec.token());
        return switch (verification) {
            case VerifiedToken token -> {
                List<String> audiences = audiences(requested, token);
                if (!requested.isEmpty() && audiences.isEmpty()) {
                    yield unauthenticated(review, "wrong_audience", "wrong_audience: the token is not valid for the "
                            + "requested audiences " + quoted(requested));
                }
                AuthenticatedUser user = token.user();
                yield reply(review, new TokenReviewResponse.Status(true, new TokenReviewResponse.User(
                        user.username(), user.uid(), user.groups(), user.extra()), audiences, null),
                        Outcome.of(Outcome.Kind.ALLOW, "authenticated"));
            }
            case VerificationFailure failure -> unauthenticated(review, failure.reason(), failure.describe());
        };
    }

    /** The requested audiences this token is valid for, in request order. */
    private List<String> audiences(List<String> requested, VerifiedToken token) {
        List<String> valid = new ArrayList<>(requested.size());
        for (String audience : requested) {
            if (token.audiences().contains(audience) || apiServerAudiences.contains(audience)) {
                valid.add(audience);
            }
        }
        return valid;
    }

    private Reply unauthenticated(TokenReview review, String reason, String error) {
        return reply(review, new TokenReviewResponse.Status(false, null, null, error),
                Outcome.of(Outcome.Kind.DENY, reason));
    }

    private Reply reply(TokenReview review, TokenReviewResponse.Status status, Outcome outcome) {
        return new Reply(json.write(new TokenReviewResponse(review.apiVersion(), KIND, status)), outcome);
    }

    private static TokenReview.Spec validate(TokenReview review) throws RequestRejected {
        if (!(API_VERSION.equals(review.apiVersion()) || API_VERSION_BETA.equals(review.apiVersion()))
                || !KIND.equals(review.kind())) {
            throw RequestRejected.badRequest("invalid_review", "expected apiVersion \"" + API_VERSION + "\" and kind \""
                    + KIND + "\", got apiVersion " + OneLine.quote(review.apiVersion()) + " and kind "
                    + OneLine.quote(review.kind()));
        }
        if (review.spec() == null) {
            throw RequestRejected.badRequest("invalid_review", "TokenReview has no spec");
        }
        if (review.spec().audiences() != null && review.spec().audiences().contains(null)) {
            throw RequestRejected.badRequest("invalid_review", "TokenReview spec.audiences contains null");
        }
        return review.spec();
    }

    private static String quoted(List<String> values) {
        return values.stream().limit(8).map(OneLine::quote).collect(Collectors.joining(", ", "[", "]"));
    }
}
