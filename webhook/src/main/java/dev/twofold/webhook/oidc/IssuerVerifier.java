package dev.twofold.webhook.oidc;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.twofold.webhook.oidc.VerificationFailure.IdpUnavailable;
import dev.twofold.webhook.oidc.VerificationFailure.UnknownKid;
import java.io.Closeable;
import java.io.IOException;
import java.net.URL;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-lived verifier of one OidcIssuer, built once and shared by all requests: discovery, the issuer's key
 * source ({@link IssuerKeys}), the signature core ({@link SignatureCheck}) pinned to its algorithms, the claims checks
 * ({@link ClaimsCheck}) and the claim mapping ({@link ClaimMapper}).
 *
 * <p>Discovery runs on {@link #discover()} (call it at startup) or on the first token; while it fails, tokens of the
 * issuer fail as {@code idp_unavailable} and discovery is retried at most once per rate-limit interval.
 */
public final class IssuerVerifier implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(IssuerVerifier.class);

    private final IssuerConfig config;
    private final ResourceRetriever retriever;
    private final JwsVerifiers verifiers;
    private final Clock clock;
    private final OidcMetrics metrics;
    private final ClaimsCheck claims;
    private final ClaimMapper mapper;

    private volatile Discovered discovered;
    private Instant lastDiscoveryAttempt; // guarded by this
    private volatile String discoveryError;
    private boolean closed; // guarded by this

    /** The issuer's keys and signature check, once discovery succeeded. */
    private record Discovered(IssuerKeys keys, SignatureCheck signatures) {
    }

    /**
     * A verifier fetching over https with the OidcIssuer's CA bundle (or the system trust store).
     *
     * @throws GeneralSecurityException when the CA bundle cannot be loaded
     */
    public IssuerVerifier(IssuerConfig config, JwsVerifiers verifiers, Clock clock, OidcMetrics metrics)
            throws GeneralSecurityException {
        this(config, HttpsRetriever.trusting(config.certificateAuthority()), verifiers, clock, metrics);
    }

    IssuerVerifier(IssuerConfig config, ResourceRetriever retriever, JwsVerifiers verifiers, Clock clock,
            OidcMetrics metrics) {
        this.config = config;
        this.retriever = retriever;
        this.verifiers = verifiers;
        this.clock = clock;
        this.metrics = metrics;
        this.claims = new ClaimsCheck(config.url(), config.audiences(), config.clockSkew(), clock);
        this.mapper = new ClaimMapper(config.claimMappings());
    }

    public IssuerConfig config() {
        return config;
    }

    /**
     * Runs discovery and fetches the keys now, unless already done or tried within the rate-limit interval.
     *
     * @return whether the issuer is ready to verify tokens
     */
    public boolean discover() {
        try {
            discovered();
            return true;
        } catch (TokenRejected e) {
            return false;
        }
    }

    /** Discovery, key and reachability state, for the OidcIssuer's status. */
    public IssuerHealth health() {
        Discovered current = discovered;
        if (current == null) {
            return new IssuerHealth(false, false, false, null, List.of(), discoveryError);
        }
        IssuerKeys.FetchState state = current.keys().state();
        return new IssuerHealth(true, state.lastSuccess() != null, state.reachable(), state.lastSuccess(),
                state.keyIds(), state.lastError());
    }

    /** Verifies a token already routed here by its (unverified) {@code iss}; everything is checked again. */
    TokenVerification verify(CompactJws jws, JWTClaimsSet unverifiedClaims) {
        try {
            Discovered current = discovered();
            try {
                current.signatures().verify(jws);
            } catch (TokenRejected e) {
                if (e.failure() instanceof UnknownKid && !current.keys().reachable()) {
                    throw new TokenRejected(new IdpUnavailable("no cached key has this token's kid, and the issuer's "
                            + "keys cannot be fetched"));
                }
                throw e;
            }
            // The signature covers the encoded payload these claims were parsed from: they are verified now.
            JWTClaimsSet verified = unverifiedClaims;
            claims.verify(verified);
            return new VerifiedToken(config.name(), mapper.map(verified), verified.getAudience(),
                    verified.getExpirationTime().toInstant());
        } catch (TokenRejected e) {
            return e.failure();
        }
    }

    private Discovered discovered() throws TokenRejected {
        Discovered current = discovered;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (discovered != null) {
                return discovered;
            }
            if (closed) {
                throw new TokenRejected(new IdpUnavailable("the issuer's verifier is closed"));
            }
            Instant now = clock.instant();
            if (lastDiscoveryAttempt != null && now.isBefore(lastDiscoveryAttempt.plus(config.minRefreshInterval()))) {
                throw new TokenRejected(new IdpUnavailable("discovery failed: " + discoveryError));
            }
            lastDiscoveryAttempt = now;
            try {
                URL jwksUri = Discovery.jwksUri(config.url(), retriever);
                IssuerKeys keys = new IssuerKeys(config, jwksUri, retriever, clock, metrics);
                try {
                    keys.warmUp();
                } catch (KeySourceException e) {
                    // Usable anyway: the next token retries the fetch (rate limited), and fails as idp_unavailable.
                    LOG.atWarn().addKeyValue("issuer", config.name()).log("fetching the signing keys failed");
                }
                discovered = new Discovered(keys, new SignatureCheck(config.algorithms(), keys.source(), verifiers));
                discoveryError = null;
                return discovered;
            } catch (DiscoveryFailed e) {
                discoveryError = e.getMessage();
                metrics.jwksRefresh(config.name(), "discovery_failure");
                LOG.atWarn().addKeyValue("issuer", config.name()).addKeyValue("error", e.getMessage())
                        .log("OIDC discovery failed");
                throw new TokenRejected(new IdpUnavailable("discovery failed: " + e.getMessage()));
            }
        }
    }

    @Override
    public void close() throws IOException {
        Discovered current;
        synchronized (this) {
            closed = true;
            current = discovered;
        }
        if (current != null) {
            current.keys().close();
        }
    }
}
