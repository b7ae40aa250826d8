package dev.twofold.webhook.oidc;

import java.time.Instant;
import java.util.List;

/**
 * Why a token was rejected. {@link #reason()} is a stable snake_case code (the metrics' {@code reason} tag and the
 * start of a TokenReview's {@code status.error}); {@link #message()} explains it in one line. Neither ever contains
 * the token; values taken from an unverified token are cleaned and cut short ({@link Untrusted}).
 */
public sealed interface VerificationFailure extends TokenVerification {

    /** The stable code, e.g. {@code expired}. */
    String reason();

    /** One line for humans, without the token. */
    String message();

    /**
     * Whether the same token will fail the same way for a while, so the failure may be cached. Failures that depend on
     * the issuer's reachability, its key rotation or the clock catching up are not.
     */
    default boolean cacheable() {
        return true;
    }

    /** {@code reason: message}, the TokenReview's {@code status.error}. */
    default String describe() {
        return reason() + ": " + message();
    }

    /** Longer than {@code limit} characters; rejected before any parsing. */
    record Oversized(int length, int limit) implements VerificationFailure {
        public String reason() {
            return "oversized";
        }

        public String message() {
            return "token is " + length + " characters long, more than the " + limit + " accepted";
        }
    }

    /** Not a compact JWS with a JSON header and claims of the right types. */
    record Malformed(String detail) implements VerificationFailure {
        public String reason() {
            return "malformed";
        }

        public String message() {
            return detail;
        }
    }

    /** A header parameter Twofold never honours (embedded or remote keys, crit, nesting, unencoded payload). */
    record HeaderNotAllowed(String parameter, String detail) implements VerificationFailure {
        public String reason() {
            return "header_not_allowed";
        }

        public String message() {
            return "header parameter " + parameter + " is not accepted: " + detail;
        }
    }

    /** {@code none}, an HMAC algorithm, or one the issuer does not allow. */
    record AlgorithmNotAllowed(String algorithm, String detail) implements VerificationFailure {
        public String reason() {
            return "algorithm_not_allowed";
        }

        public String message() {
            return "algorithm " + Untrusted.quote(algorithm) + " is not accepted: " + detail;
        }
    }

    /** No allowed key of the issuer verifies the signature (or it is empty or out of range). */
    record BadSignature(String detail) implements VerificationFailure {
        public String reason() {
            return "bad_signature";
        }

        public String message() {
            return detail;
        }
    }

    /**
     * The issuer publishes no usable key with this {@code kid}, even after the one rate-limited refresh a miss may
     * trigger. Not cached: a rotation may publish it a moment later.
     */
    record UnknownKid(String kid) implements VerificationFailure {
        public String reason() {
            return "unknown_kid";
        }

        public String message() {
            return "the issuer publishes no usable signing key with kid " + Untrusted.quote(kid);
        }

        public boolean cacheable() {
            return false;
        }
    }

    /** The {@code iss} is not a configured issuer (exact match), or the verified claims name another one. */
    record WrongIssuer(String issuer) implements VerificationFailure {
        public String reason() {
            return "wrong_issuer";
        }

        public String message() {
            return "issuer " + Untrusted.quote(issuer) + " is not a configured OidcIssuer";
        }
    }

    /** None of the token's audiences is accepted. */
    record WrongAudience(List<String> audiences) implements VerificationFailure {
        public WrongAudience {
            audiences = List.copyOf(audiences);
        }

        public String reason() {
            return "wrong_audience";
        }

        public String message() {
            return "the token's audiences " + Untrusted.quoteAll(audiences) + " include none accepted here";
        }
    }

    /** {@code exp} has passed (beyond the clock skew). */
    record Expired(Instant expiredAt) implements VerificationFailure {
        public String reason() {
            return "expired";
        }

        public String message() {
            return "token expired at " + expiredAt;
        }
    }

    /** {@code nbf} or {@code iat} is in the future (beyond the clock skew). Not cached: time fixes it. */
    record NotYetValid(String claim, Instant at) implements VerificationFailure {
        public String reason() {
            return "not_yet_valid";
        }

        public String message() {
            return claim + " is in the future (" + at + ")";
        }

        public boolean cacheable() {
            return false;
        }
    }

    /** A required claim (exp, iat, sub, iss or the mapped user name) is absent or unusable. */
    record MissingClaim(String claim, String detail) implements VerificationFailure {
        public String reason() {
            return "missing_claim";
        }

        public String message() {
            return "claim " + claim + " " + detail;
        }
    }

    /** The issuer's discovery document or keys cannot be fetched, and no cached key applies. Not cached. */
    record IdpUnavailable(String detail) implements VerificationFailure {
        public String reason() {
            return "idp_unavailable";
        }

        public String message() {
            return detail;
        }

        public boolean cacheable() {
            return false;
        }
    }
}
