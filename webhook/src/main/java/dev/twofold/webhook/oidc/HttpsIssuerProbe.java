package dev.twofold.webhook.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URL;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link IssuerProbe} over https: {@link Discovery} and one key set fetch through a fresh {@link HttpsRetriever}
 * (https only, no redirects, bounded size and time). A key counts as usable when the webhook would verify with it:
 * the same JWK matching as {@link PinnedKeySelector} under one of the issuer's algorithms, plus the curve the
 * algorithm names.
 */
final class HttpsIssuerProbe implements IssuerProbe {

    /** Longest error text kept from an exception message. */
    static final int MAX_ERROR = 512;

    @Override
    public ProbeResult probe(IssuerConfig config) {
        HttpsRetriever retriever;
        try {
            retriever = HttpsRetriever.trusting(config.certificateAuthority());
        } catch (GeneralSecurityException e) {
            return new ProbeResult.Undiscovered("the certificateAuthority cannot be used: " + describe(e));
        }
        return probe(config, retriever);
    }

    static ProbeResult probe(IssuerConfig config, ResourceRetriever retriever) {
        URL jwksUri;
        try {
            jwksUri = Discovery.jwksUri(config.url(), retriever);
        } catch (DiscoveryFailed e) {
            return new ProbeResult.Undiscovered(oneLine(e.getMessage()));
        }
        String uri = jwksUri.toString();
        JWKSet keys;
        try {
            keys = JWKSet.parse(retriever.retrieveResource(jwksUri).getContent());
        } catch (IOException e) {
            return new ProbeResult.KeysUnavailable(uri, "cannot fetch " + uri + ": "
                    + oneLine(HttpsRetriever.describe(e)));
        } catch (ParseException e) {
            return new ProbeResult.KeysUnavailable(uri, "the document at " + uri + " is not a JWK set: "
                    + describe(e));
        }
        TreeSet<String> keyIds = new TreeSet<>();
        int usable = 0;
        for (JWK key : keys.getKeys()) {
            if (usable(key, config.algorithms())) {
                usable++;
                if (key.getKeyID() != null) {
                    keyIds.add(key.getKeyID());
                }
            }
        }
        if (usable == 0) {
            return new ProbeResult.NoUsableKeys(uri, keys.getKeys().size());
        }
        return new ProbeResult.KeysLoaded(uri, List.copyOf(keyIds), usable);
    }

    private static boolean usable(JWK key, Set<JWSAlgorithm> algorithms) {
        if (key.getKeyOperations() != null && !key.getKeyOperations().contains(KeyOperation.VERIFY)) {
            return false;
        }
        if (PinnedKeySelector.convert(key) == null) {
            return false;
        }
        for (JWSAlgorithm algorithm : algorithms) {
            JWKMatcher matcher = JWKMatcher.forJWSHeader(new JWSHeader(algorithm));
            if (matcher != null && matcher.matches(key) && curveFits(key, algorithm)) {
                return true;
            }
        }
        return false;
    }

    // nimbus' JWS matcher leaves the curve to the signature check; a P-384 key cannot verify ES256.
    private static boolean curveFits(JWK key, JWSAlgorithm algorithm) {
        if (key instanceof ECKey ec) {
            Set<Curve> curves = Curve.forJWSAlgorithm(algorithm);
            return curves != null && curves.contains(ec.getCurve());
        }
        return true;
    }

    private static String describe(Exception e) {
        return oneLine(Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName()));
    }

    /** Whitespace runs (newlines included) become one space; cut at {@value #MAX_ERROR} characters. */
    static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_ERROR ? line : line.substring(0, MAX_ERROR - 3) + "...";
    }
}
