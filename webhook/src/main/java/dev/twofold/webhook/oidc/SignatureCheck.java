package dev.twofold.webhook.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import dev.twofold.webhook.oidc.VerificationFailure.AlgorithmNotAllowed;
import dev.twofold.webhook.oidc.VerificationFailure.BadSignature;
import dev.twofold.webhook.oidc.VerificationFailure.IdpUnavailable;
import dev.twofold.webhook.oidc.VerificationFailure.UnknownKid;
import java.security.Key;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The JWS verification core shared by every issuer and by the Wycheproof vectors: the algorithm pin, the key lookup
 * ({@link PinnedKeySelector}) and the signature check. A key only ever verifies tokens of its own algorithm family,
 * and only keys from the issuer's own key source are used.
 */
public final class SignatureCheck {

    private final Set<JWSAlgorithm> algorithms;
    private final PinnedKeySelector keys;
    private final JwsVerifiers verifiers;

    /**
     * @param algorithms the pinned algorithms (never HMAC or none)
     * @param keySource the issuer's keys
     * @param verifiers makes the verifier per (algorithm, key)
     */
    public SignatureCheck(Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> keySource, JwsVerifiers verifiers) {
        this.algorithms = Set.copyOf(algorithms);
        this.keys = new PinnedKeySelector(this.algorithms, keySource);
        this.verifiers = verifiers;
    }

    /**
     * Checks {@code token} end to end as a JWS, without looking at its claims: structure, header policy, algorithm
     * pin, key and signature. Returns {@code null} when the signature verifies.
     */
    public VerificationFailure check(String token) {
        try {
            verify(JwsStructure.parse(token));
            return null;
        } catch (TokenRejected e) {
            return e.failure();
        }
    }

    /** Verifies the signature of an already structure-checked token. */
    void verify(CompactJws jws) throws TokenRejected {
        JWSHeader header = jws.header();
        if (!algorithms.contains(header.getAlgorithm())) {
            throw new TokenRejected(new AlgorithmNotAllowed(header.getAlgorithm().getName(), "this issuer allows "
                    + algorithms.stream().map(JWSAlgorithm::getName).sorted().collect(Collectors.joining(", "))));
        }
        if (jws.signature().toString().isEmpty()) {
            throw new TokenRejected(new BadSignature("the signature is empty"));
        }
        List<Key> candidates;
        try {
            candidates = keys.selectJWSKeys(header, null);
        } catch (RateLimitReachedException e) {
            // The one refresh this miss could trigger was spent recently: the kid stays unknown for now.
            throw new TokenRejected(new UnknownKid(header.getKeyID()));
        } catch (JWKSetUnavailableException e) {
            throw new TokenRejected(new IdpUnavailable("the issuer's signing keys cannot be fetched"));
        } catch (KeySourceException e) {
            throw new TokenRejected(new IdpUnavailable("the issuer's signing keys cannot be read"));
        }
        if (candidates.isEmpty()) {
            throw new TokenRejected(new UnknownKid(header.getKeyID()));
        }
        for (Key key : candidates) {
            if (verifies(jws, key)) {
                return;
            }
        }
        throw new TokenRejected(new BadSignature("the signature does not verify with the issuer's "
                + header.getAlgorithm() + " key" + (candidates.size() == 1 ? "" : "s")));
    }

    private boolean verifies(CompactJws jws, Key key) {
        try {
            JWSVerifier verifier = verifiers.create(jws.header(), key);
            return verifier.verify(jws.header(), jws.signingInput(), jws.signature());
        } catch (JOSEException e) {
            return false; // the key does not fit the algorithm (e.g. P-384 for ES256): not this key
        }
    }
}
