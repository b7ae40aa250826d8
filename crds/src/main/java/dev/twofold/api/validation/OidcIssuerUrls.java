package dev.twofold.api.validation;

import dev.twofold.api.v1alpha1.OidcIssuer;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One issuer URL, one OidcIssuer. Tokens are routed to a verifier by their exact {@code iss}, so two OidcIssuers with
 * the same {@code spec.url} cannot both be served: the oldest one (by {@code creationTimestamp}, then name) serves the
 * URL and the others are ignored. Shared by the webhook (which verifier gets the URL) and the operator (which issuer
 * reports {@code DuplicateUrl}), so both always agree.
 */
public final class OidcIssuerUrls {

    /** Oldest first; the name breaks ties (timestamps have second precision). */
    public static final Comparator<OidcIssuer> PRECEDENCE = Comparator
            .comparing((OidcIssuer issuer) -> Objects.requireNonNullElse(
                    issuer.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(issuer -> Objects.requireNonNullElse(issuer.getMetadata().getName(), ""));

    private OidcIssuerUrls() {
    }

    /**
     * The OidcIssuer serving each URL, among {@code validIssuers} (callers leave out invalid ones: an invalid issuer
     * serves nothing, so it must not shadow a valid one).
     */
    public static Map<String, OidcIssuer> owners(Collection<OidcIssuer> validIssuers) {
        Map<String, OidcIssuer> owners = new LinkedHashMap<>();
        validIssuers.stream().sorted(PRECEDENCE).forEach(issuer -> owners.putIfAbsent(issuer.getSpec().url(), issuer));
        return owners;
    }
}
