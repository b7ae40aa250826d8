package dev.twofold.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.v1alpha1.OidcIssuer;
import dev.twofold.api.v1alpha1.OidcIssuerSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OidcIssuerUrlsTest {

    static OidcIssuer issuer(String name, String url, String createdAt) {
        OidcIssuer issuer = OidcIssuer.of(name, new OidcIssuerSpec(url, List.of("kubectl"), null, null, null, null,
                null));
        issuer.getMetadata().setCreationTimestamp(createdAt);
        return issuer;
    }

    private static Map<String, String> owners(OidcIssuer... issuers) {
        Map<String, String> names = new LinkedHashMap<>();
        OidcIssuerUrls.owners(List.of(issuers)).forEach((url, owner) -> names.put(url, owner.getMetadata().getName()));
        return names;
    }

    @Test
    @DisplayName("each url is served by the oldest issuer naming it")
    void oldestWins() {
        assertThat(owners(issuer("new", "https://a", "2026-01-02T00:00:00Z"),
                issuer("old", "https://a", "2026-01-01T00:00:00Z"),
                issuer("other", "https://b", "2026-01-03T00:00:00Z")))
                .containsExactly(Map.entry("https://a", "old"), Map.entry("https://b", "other"));
    }

    @Test
    @DisplayName("issuers created in the same second are ordered by name")
    void tieByName() {
        assertThat(owners(issuer("zeta", "https://a", "2026-01-01T00:00:00Z"),
                issuer("alpha", "https://a", "2026-01-01T00:00:00Z")))
                .containsExactly(Map.entry("https://a", "alpha"));
    }

    @Test
    @DisplayName("urls are compared exactly: a trailing slash is another issuer")
    void exactUrls() {
        assertThat(owners(issuer("a", "https://idp/realms/x", "2026-01-01T00:00:00Z"),
                issuer("b", "https://idp/realms/x/", "2026-01-02T00:00:00Z")))
                .containsExactly(Map.entry("https://idp/realms/x", "a"), Map.entry("https://idp/realms/x/", "b"));
    }
}
