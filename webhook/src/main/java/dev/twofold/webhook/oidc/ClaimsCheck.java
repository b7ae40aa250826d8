package dev.twofold.webhook.oidc;

import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import com.nimbusds.jose.proc.SecurityContext;
import dev.twofold.webhook.oidc.VerificationFailure.Expired;
import dev.twofold.webhook.oidc.VerificationFailure.Malformed;
import dev.twofold.webhook.oidc.VerificationFailure.MissingClaim;
import dev.twofold.webhook.oidc.VerificationFailure.NotYetValid;
import dev.twofold.webhook.oidc.VerificationFailure.WrongAudience;
import dev.twofold.webhook.oidc.VerificationFailure.WrongIssuer;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The claims checks of one issuer, on claims whose signature already verified: nimbus'
 * {@link DefaultJWTClaimsVerifier} with the exact {@code iss}, the accepted audiences and required {@code exp},
 * {@code iat}, {@code sub}, plus what it leaves out: {@code iat} must not be in the future (beyond the skew). Its
 * clock is the injected one.
 */
final class ClaimsCheck {

    static final Set<String> REQUIRED = Set.of(JWTClaimNames.ISSUER, JWTClaimNames.SUBJECT,
            JWTClaimNames.EXPIRATION_TIME, JWTClaimNames.ISSUED_AT);

    private final DefaultJWTClaimsVerifier<SecurityContext> verifier;
    private final Duration skew;
    private final Clock clock;

    ClaimsCheck(String issuer, Set<String> audiences, Duration skew, Clock clock) {
        this.skew = skew;
        this.clock = clock;
        this.verifier = new DefaultJWTClaimsVerifier<>(Set.copyOf(audiences),
                new JWTClaimsSet.Builder().issuer(issuer).build(), REQUIRED, null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        verifier.setMaxClockSkew((int) skew.toSeconds());
    }

    void verify(JWTClaimsSet claims) throws TokenRejected {
        try {
            verifier.verify(claims, null);
        } catch (ExpiredJWTException e) {
            throw new TokenRejected(new Expired(claims.getExpirationTime().toInstant()));
        } catch (BadJWTException e) {
            throw new TokenRejected(translate(e.getMessage(), claims));
        }
        Date issuedAt = claims.getIssueTime();
        if (issuedAt.toInstant().isAfter(clock.instant().plus(skew))) {
            throw new TokenRejected(new NotYetValid("iat", issuedAt.toInstant()));
        }
    }

    /**
     * nimbus 10 reports claim failures as {@link BadJWTException} messages only; this maps the ones it raises (pinned
     * by ClaimsCheckTest, so a nimbus upgrade that rewords them fails the build instead of the reasons).
     */
    private VerificationFailure translate(String message, JWTClaimsSet claims) {
        String text = message == null ? "" : message;
        if (text.startsWith("JWT aud claim rejected") || text.startsWith("JWT missing required aud claim")) {
            List<String> audiences = claims.getAudience();
            return new WrongAudience(audiences == null ? List.of() : audiences);
        }
        if (text.startsWith("JWT missing required claims")) {
            Set<String> missing = new TreeSet<>(REQUIRED);
            missing.removeAll(claims.getClaims().keySet());
            return new MissingClaim(missing.isEmpty() ? "?" : missing.iterator().next(), "is required");
        }
        if (text.startsWith("JWT iss claim value rejected")) {
            Object actual = claims.getClaim(JWTClaimNames.ISSUER);
            return new WrongIssuer(actual == null ? null : actual.toString());
        }
        if (text.startsWith("JWT before use time")) {
            return new NotYetValid("nbf", claims.getNotBeforeTime().toInstant());
        }
        return new Malformed("the claims were rejected");
    }
}
