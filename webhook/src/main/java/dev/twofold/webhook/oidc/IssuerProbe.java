package dev.twofold.webhook.oidc;

/**
 * Checks an issuer from outside the request path, for its OidcIssuer status: discovery, then one fetch of its key set,
 * both with exactly the trust and limits the webhook's verifier uses ({@link HttpsRetriever}, {@link Discovery}).
 */
@FunctionalInterface
public interface IssuerProbe {

    /** Probes {@code config}'s issuer now; never throws for an unreachable or misbehaving issuer. */
    ProbeResult probe(IssuerConfig config);

    /** The real probe, over https with the issuer's CA bundle (or the system trust store). */
    static IssuerProbe https() {
        return new HttpsIssuerProbe();
    }
}
