package dev.twofold.webhook.authn;

import static dev.twofold.webhook.authn.Issuers.issuer;
import static dev.twofold.webhook.authn.Issuers.url;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.v1alpha1.OidcIssuer;
import dev.twofold.api.v1alpha1.OidcIssuerSpec;
import dev.twofold.api.v1alpha1.OidcIssuerStatus;
import dev.twofold.webhook.oidc.IssuerVerifier;
import java.security.GeneralSecurityException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which verifiers the issuer set consists of, and when one is built: only for a new or changed issuer. */
class IssuerCatalogTest {

    static final String T1 = "2026-01-01T10:00:00Z";
    static final String T2 = "2026-01-01T11:00:00Z";

    final Issuers.CountingFactory factory = new Issuers.CountingFactory();
    final IssuerCatalog catalog = new IssuerCatalog(factory);

    private static List<String> names(List<IssuerVerifier> verifiers) {
        return verifiers.stream().map(v -> v.config().name()).toList();
    }

    private static OidcIssuer withAudiences(OidcIssuer issuer, String... audiences) {
        OidcIssuerSpec spec = issuer.getSpec();
        OidcIssuer changed = issuer(issuer.getMetadata().getName(), spec.url(),
                issuer.getMetadata().getCreationTimestamp());
        changed.setSpec(new OidcIssuerSpec(spec.url(), List.of(audiences), spec.algorithms(), spec.claimMappings(),
                spec.certificateAuthority(), spec.clockSkew(), spec.jwksRefresh()));
        changed.getMetadata().setGeneration(issuer.getMetadata().getGeneration() + 1);
        return changed;
    }

    @Test
    @DisplayName("every valid issuer gets one verifier")
    void firstSet() {
        IssuerCatalog.Update update = catalog.update(List.of(issuer("b", url("b"), T1), issuer("a", url("a"), T1)));

        assertThat(names(update.verifiers())).containsExactly("a", "b");
        assertThat(update.built()).containsExactlyElementsOf(update.verifiers());
        assertThat(update.skipped()).isEmpty();
        assertThat(update.changed()).isTrue();
    }

    @Test
    @DisplayName("an issuer whose status or metadata changed keeps its verifier, and nothing is replaced")
    void statusOnlyChange() {
        IssuerCatalog.Update first = catalog.update(List.of(issuer("a", url("a"), T1), issuer("b", url("b"), T1)));
        OidcIssuer a = issuer("a", url("a"), T1);
        a.setStatus(new OidcIssuerStatus(1L, List.of(), "2026-01-01T12:00:00Z", List.of("k1")));
        a.getMetadata().setResourceVersion("42");
        a.getMetadata().getLabels().put("team", "platform");

        IssuerCatalog.Update second = catalog.update(List.of(a, issuer("b", url("b"), T1)));

        assertThat(second.verifiers()).containsExactlyElementsOf(first.verifiers());
        assertThat(second.built()).isEmpty();
        assertThat(second.changed()).isFalse();
        assertThat(factory.built).hasSize(2);
    }

    @Test
    @DisplayName("a spec change builds a new verifier for that issuer only")
    void specChange() {
        OidcIssuer a = issuer("a", url("a"), T1);
        IssuerCatalog.Update first = catalog.update(List.of(a, issuer("b", url("b"), T1)));

        IssuerCatalog.Update second = catalog.update(List.of(withAudiences(a, "kubectl", "kubernetes"),
                issuer("b", url("b"), T1)));

        assertThat(names(second.built())).containsExactly("a");
        assertThat(second.verifiers().get(0)).isNotSameAs(first.verifiers().get(0));
        assertThat(second.verifiers().get(0).config().audiences()).containsExactlyInAnyOrder("kubectl", "kubernetes");
        assertThat(second.verifiers().get(1)).isSameAs(first.verifiers().get(1));
        assertThat(second.changed()).isTrue();
    }

    @Test
    @DisplayName("a deleted issuer leaves the set")
    void deletion() {
        catalog.update(List.of(issuer("a", url("a"), T1), issuer("b", url("b"), T1)));

        IssuerCatalog.Update update = catalog.update(List.of(issuer("b", url("b"), T1)));

        assertThat(names(update.verifiers())).containsExactly("b");
        assertThat(update.built()).isEmpty();
        assertThat(update.changed()).isTrue();
    }

    @Test
    @DisplayName("an invalid issuer is skipped with every error of its spec, and the others are served")
    void invalid() {
        IssuerCatalog.Update update = catalog.update(List.of(issuer("bad", "http://idp.example.com", T1),
                issuer("good", url("good"), T1)));

        assertThat(names(update.verifiers())).containsExactly("good");
        assertThat(update.skipped()).containsExactly(new IssuerCatalog.Skipped("bad",
                "OidcIssuer bad is invalid: spec.url: must use https"));
        assertThat(factory.names()).containsExactly("good");
    }

    @Test
    @DisplayName("of two issuers with the same url, the older one serves it")
    void duplicateUrl() {
        IssuerCatalog.Update update = catalog.update(List.of(issuer("newer", url("shared"), T2),
                issuer("older", url("shared"), T1)));

        assertThat(names(update.verifiers())).containsExactly("older");
        assertThat(update.skipped()).containsExactly(new IssuerCatalog.Skipped("newer", "its url " + url("shared")
                + " is already served by the older OidcIssuer older"));
    }

    @Test
    @DisplayName("an invalid older issuer does not keep a valid newer one with its url from being served")
    void invalidDoesNotShadow() {
        OidcIssuer older = issuer("older", url("shared"), T1);
        older.setSpec(new OidcIssuerSpec(url("shared"), List.of(), null, null, null, null, null));

        IssuerCatalog.Update update = catalog.update(List.of(older, issuer("newer", url("shared"), T2)));

        assertThat(names(update.verifiers())).containsExactly("newer");
        assertThat(update.skipped()).extracting(IssuerCatalog.Skipped::name).containsExactly("older");
    }

    @Test
    @DisplayName("an issuer whose verifier cannot be built is skipped with the reason")
    void buildFailure() {
        IssuerCatalog failing = new IssuerCatalog(config -> {
            throw new GeneralSecurityException("the CA bundle holds no certificate");
        });

        IssuerCatalog.Update update = failing.update(List.of(issuer("a", url("a"), T1)));

        assertThat(update.verifiers()).isEmpty();
        assertThat(update.skipped()).containsExactly(new IssuerCatalog.Skipped("a",
                "its certificateAuthority cannot be used: the CA bundle holds no certificate"));
    }
}
