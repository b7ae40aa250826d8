package dev.twofold.webhook.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.twofold.webhook.oidc.VerificationFailure.Malformed;
import dev.twofold.webhook.oidc.VerificationFailure.MissingClaim;
import dev.twofold.webhook.oidc.VerificationFailure.Oversized;
import dev.twofold.webhook.oidc.VerificationFailure.WrongIssuer;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies bearer tokens against the configured OidcIssuers, with bounded caches keyed by the token's SHA-256.
 *
 * <p>How nothing unverified is trusted: a token is first checked for size, structure and header policy (no key, URL
 * or algorithm is ever taken from it). Its unverified {@code iss} then only <em>selects</em> which configured issuer
 * verifies it, by exact string match; an unknown {@code iss} is rejected without any network access. That issuer's
 * verifier checks the signature with its own keys only, pinned to its algorithms, and then checks the claims,
 * including {@code iss} again against its own URL. A forged {@code iss} therefore only chooses whose keys must have
 * signed the token. The only I/O an unverified token can cause is one rate-limited refresh of a configured issuer's
 * key set, when its {@code kid} is unknown.
 */
public final class TokenVerifier implements TokenAuthenticator, Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);

    private final Clock clock;
    private final OidcMetrics metrics;
    private final CacheLimits limits;
    private final ExpiringLru<TokenHash, VerifiedToken> accepted;
    private final ExpiringLru<TokenHash, Rejected> rejected;
    private volatile Map<String, IssuerVerifier> issuersByUrl;

    /** A cached failure and the issuer it was counted under. */
    private record Rejected(String issuer, VerificationFailure failure) {
    }

    public TokenVerifier(Collection<IssuerVerifier> issuers, CacheLimits limits, Clock clock, OidcMetrics metrics) {
        this.clock = clock;
        this.metrics = metrics;
        this.limits = limits;
        this.accepted = new ExpiringLru<>(limits.positiveEntries());
        this.rejected = new ExpiringLru<>(limits.negativeEntries());
        this.issuersByUrl = index(issuers);
    }

    /**
     * Switches to a new set of issuers (e.g. after an OidcIssuer changed): verifiers no longer present are closed and
     * both caches are cleared, so no result of an old configuration survives.
     */
    public void replaceIssuers(Collection<IssuerVerifier> issuers) {
        Map<String, IssuerVerifier> next = index(issuers);
        Map<String, IssuerVerifier> previous;
        synchronized (this) {
            previous = issuersByUrl;
            issuersByUrl = next;
            accepted.clear();
            rejected.clear();
        }
        Set<IssuerVerifier> kept = new HashSet<>(next.values());
        for (IssuerVerifier verifier : previous.values()) {
            if (!kept.contains(verifier)) {
                closeQuietly(verifier);
            }
        }
    }

    @Override
    public TokenVerification verify(String token) {
        if (token == null || token.isEmpty()) {
            return count(OidcMetrics.NO_ISSUER, new Malformed("token is empty"));
        }
        if (token.length() > JwsStructure.MAX_TOKEN_LENGTH) {
            return count(OidcMetrics.NO_ISSUER, new Oversized(token.length(), JwsStructure.MAX_TOKEN_LENGTH));
        }
        TokenHash key = TokenHash.of(token);
        long now = clock.millis();
        VerifiedToken hit = accepted.get(key, now);
        metrics.positiveCache(hit != null);
        if (hit != null) {
            return count(hit.issuerName(), hit);
        }
        Rejected known = rejected.get(key, now);
        metrics.negativeCache(known != null);
        if (known != null) {
            return count(known.issuer(), known.failure());
        }

        Map<String, IssuerVerifier> issuers = issuersByUrl;
        String issuerName = OidcMetrics.NO_ISSUER;
        TokenVerification result;
        try {
            CompactJws jws = JwsStructure.parse(token);
            JWTClaimsSet claims = claims(jws);
            IssuerVerifier issuer = route(claims, issuers);
            issuerName = issuer.config().name();
            result = issuer.verify(jws, claims);
        } catch (TokenRejected e) {
            result = e.failure();
        }
        remember(key, issuerName, result, issuers);
        return count(issuerName, result);
    }

    private static JWTClaimsSet claims(CompactJws jws) throws TokenRejected {
        try {
            return JWTClaimsSet.parse(new String(jws.payload().decode(), StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new TokenRejected(new Malformed("the payload is not a JSON object of JWT claims"));
        }
    }

    private static IssuerVerifier route(JWTClaimsSet claims, Map<String, IssuerVerifier> issuers)
            throws TokenRejected {
        String iss = claims.getIssuer();
        if (iss == null) {
            throw new TokenRejected(new MissingClaim("iss", "is required"));
        }
        IssuerVerifier issuer = issuers.get(iss);
        if (issuer == null) {
            throw new TokenRejected(new WrongIssuer(iss));
        }
        return issuer;
    }

    private void remember(TokenHash key, String issuerName, TokenVerification result, Map<String, IssuerVerifier> issuers) {
        if (issuers != issuersByUrl) {
            return; // verified under a configuration that was just replaced
        }
        long now = clock.millis();
        switch (result) {
            case VerifiedToken token -> accepted.put(key, token,
                    Math.min(token.expiresAt().toEpochMilli(), now + limits.positiveTtl().toMillis()));
            case VerificationFailure failure when failure.cacheable() ->
                    rejected.put(key, new Rejected(issuerName, failure), now + limits.negativeTtl().toMillis());
            case VerificationFailure failure -> {
            }
        }
    }

    private TokenVerification count(String issuer, TokenVerification result) {
        metrics.verification(issuer, result);
        if (result instanceof VerificationFailure failure) {
            LOG.atDebug().addKeyValue("issuer", issuer).addKeyValue("reason", failure.reason())
                    .log("token rejected");
        }
        return result;
    }

    private static Map<String, IssuerVerifier> index(Collection<IssuerVerifier> issuers) {
        Map<String, IssuerVerifier> byUrl = new HashMap<>();
        for (IssuerVerifier issuer : issuers) {
            if (byUrl.putIfAbsent(issuer.config().url(), issuer) != null) {
                throw new IllegalArgumentException("two OidcIssuers share the url " + issuer.config().url());
            }
        }
        return Map.copyOf(byUrl);
    }

    @Override
    public void close() {
        for (IssuerVerifier verifier : issuersByUrl.values()) {
            closeQuietly(verifier);
        }
    }

    private static void closeQuietly(IssuerVerifier verifier) {
        try {
            verifier.close();
        } catch (IOException e) {
            LOG.atDebug().setCause(e).log("closing an issuer verifier failed");
        }
    }
}
