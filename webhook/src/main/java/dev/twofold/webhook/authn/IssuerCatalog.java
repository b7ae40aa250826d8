package dev.twofold.webhook.authn;

import dev.twofold.api.v1alpha1.OidcIssuer;
import dev.twofold.api.validation.OidcIssuerUrls;
import dev.twofold.webhook.oidc.InvalidIssuer;
import dev.twofold.webhook.oidc.IssuerConfig;
import dev.twofold.webhook.oidc.IssuerVerifier;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the cluster's OidcIssuers into the set of long-lived {@link IssuerVerifier}s (STYLE 9): a verifier is built
 * only for an issuer that is new or whose effective settings ({@link IssuerConfig}) changed; every other issuer keeps
 * its verifier, with its cached keys and discovery. A status-only change therefore builds nothing.
 *
 * <p>Issuers are left out, with the reason, when their spec is invalid, when an older OidcIssuer already serves their
 * url ({@link OidcIssuerUrls}), or when their CA bundle cannot be loaded. Not thread-safe: {@link OidcIssuerWatcher}
 * calls it under its own lock.
 */
final class IssuerCatalog {

    /** Makes the verifier of one issuer: the real constructor in production, a counting one in tests. */
    @FunctionalInterface
    interface VerifierFactory {
        IssuerVerifier build(IssuerConfig config) throws GeneralSecurityException;
    }

    /** An issuer left out, and why (one line). */
    record Skipped(String name, String reason) {
    }

    /**
     * The outcome of one {@link #update}.
     *
     * @param verifiers every verifier to serve now, by issuer name
     * @param built the verifiers this update made (they still need discovery)
     * @param skipped the issuers left out
     * @param changed whether {@code verifiers} differs from the previous update's (if not, nothing needs replacing
     *     and the verification caches stay)
     */
    record Update(List<IssuerVerifier> verifiers, List<IssuerVerifier> built, List<Skipped> skipped,
            boolean changed) {
    }

    private record Entry(IssuerConfig config, IssuerVerifier verifier) {
    }

    private record Candidate(OidcIssuer issuer, IssuerConfig config) {
    }

    private final VerifierFactory factory;
    private Map<String, Entry> current = Map.of();

    IssuerCatalog(VerifierFactory factory) {
        this.factory = factory;
    }

    /** The verifiers for exactly {@code issuers}, reusing those whose settings did not change. */
    Update update(Collection<OidcIssuer> issuers) {
        List<Skipped> skipped = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        for (OidcIssuer issuer : issuers.stream().sorted(OidcIssuerUrls.PRECEDENCE).toList()) {
            try {
                candidates.add(new Candidate(issuer, IssuerConfig.from(issuer)));
            } catch (InvalidIssuer e) {
                skipped.add(new Skipped(issuer.getMetadata().getName(), e.getMessage()));
            }
        }
        Map<String, OidcIssuer> owners = OidcIssuerUrls.owners(candidates.stream().map(Candidate::issuer).toList());

        Map<String, Entry> next = new LinkedHashMap<>();
        List<IssuerVerifier> built = new ArrayList<>();
        for (Candidate candidate : candidates) {
            IssuerConfig config = candidate.config();
            OidcIssuer owner = owners.get(config.url());
            if (owner != candidate.issuer()) {
                skipped.add(new Skipped(config.name(), "its url " + config.url() + " is already served by the older "
                        + "OidcIssuer " + owner.getMetadata().getName()));
                continue;
            }
            Entry previous = current.get(config.name());
            if (previous != null && previous.config().equals(config)) {
                next.put(config.name(), previous);
                continue;
            }
            try {
                IssuerVerifier verifier = factory.build(config);
                built.add(verifier);
                next.put(config.name(), new Entry(config, verifier));
            } catch (GeneralSecurityException e) {
                skipped.add(new Skipped(config.name(), "its certificateAuthority cannot be used: " + e.getMessage()));
            }
        }
        boolean changed = !built.isEmpty() || !next.keySet().equals(current.keySet());
        current = Map.copyOf(next);
        return new Update(next.values().stream().map(Entry::verifier).toList(), List.copyOf(built),
                List.copyOf(skipped), changed);
    }
}
