package dev.twofold.webhook.authn;

import static dev.twofold.webhook.authn.Issuers.issuer;
import static dev.twofold.webhook.authn.Issuers.unsignedToken;
import static dev.twofold.webhook.authn.Issuers.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twofold.api.v1alpha1.OidcIssuer;
import dev.twofold.api.v1alpha1.OidcIssuerSpec;
import dev.twofold.webhook.oidc.CacheLimits;
import dev.twofold.webhook.oidc.TokenVerifier;
import dev.twofold.webhook.oidc.VerificationFailure;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The informer-backed issuer set against the fabric8 mock API server (CRUD mode). */
class OidcIssuerWatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String T1 = "2026-01-01T10:00:00Z";

    private KubernetesMockServer server;
    private KubernetesClient client;
    private final Issuers.CountingFactory factory = new Issuers.CountingFactory();
    private TokenVerifier tokens;
    private OidcIssuerWatcher watcher;

    @BeforeEach
    void startServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(OidcIssuer.class));
        client = server.createClient();
        tokens = new TokenVerifier(List.of(), CacheLimits.DEFAULT, Clock.systemUTC(), factory.metrics);
        watcher = new OidcIssuerWatcher(client, tokens, factory);
    }

    @AfterEach
    void stopServer() {
        watcher.close();
        tokens.close();
        client.close();
        server.destroy();
    }

    private void start() throws Exception {
        watcher.start().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private String reason(String issuerUrl) {
        return ((VerificationFailure) tokens.verify(unsignedToken(issuerUrl))).reason();
    }

    @Test
    @DisplayName("not synced before the first list; then every existing issuer is served")
    void firstList() throws Exception {
        client.resource(issuer("keycloak", url("keycloak"), T1)).create();
        assertThat(watcher.synced()).isFalse();

        start();

        assertThat(watcher.synced()).isTrue();
        assertThat(watcher.size()).isOne();
        // Routed to the issuer (whose IdP is down), not refused as an unknown issuer.
        assertThat(reason(url("keycloak"))).isEqualTo("idp_unavailable");
        assertThat(reason(url("other"))).isEqualTo("wrong_issuer");
    }

    @Test
    @DisplayName("discovery of a new issuer runs in the background, before any token")
    void backgroundDiscovery() throws Exception {
        start();

        client.resource(issuer("keycloak", url("keycloak"), T1)).create();

        await().atMost(WAIT).until(() -> factory.built.size() == 1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(factory.built.get(0).health().lastError())
                .startsWith("cannot fetch " + url("keycloak") + "/.well-known/openid-configuration"));
    }

    @Test
    @DisplayName("metadata and status updates build nothing; a spec change rebuilds; a deletion removes")
    void rebuildOnlyOnChange() throws Exception {
        client.resource(issuer("keycloak", url("keycloak"), T1)).create();
        start();
        assertThat(factory.built).hasSize(1);

        client.resources(OidcIssuer.class).withName("keycloak").edit(issuer -> {
            issuer.getMetadata().getLabels().put("team", "platform");
            return issuer;
        });
        client.resources(OidcIssuer.class).withName("keycloak").edit(issuer -> {
            issuer.setSpec(new OidcIssuerSpec(url("keycloak"), List.of("kubectl", "kubernetes"), null, null, null,
                    null, null));
            return issuer;
        });

        // Events arrive in order: once the spec change is built, the label change was seen and built nothing.
        await().atMost(WAIT).until(() -> factory.built.size() >= 2);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> factory.built.size() == 2);
        assertThat(factory.built.get(1).config().audiences()).containsExactlyInAnyOrder("kubectl", "kubernetes");

        client.resources(OidcIssuer.class).withName("keycloak").delete();

        await().atMost(WAIT).until(() -> watcher.size() == 0);
        assertThat(reason(url("keycloak"))).isEqualTo("wrong_issuer");
    }

    @Test
    @DisplayName("an invalid issuer is skipped and the valid ones are served")
    void invalidSkipped() throws Exception {
        client.resource(issuer("broken", "https://idp.example.com/realm?x=1", T1)).create();
        client.resource(issuer("keycloak", url("keycloak"), T1)).create();

        start();

        assertThat(factory.names()).containsExactly("keycloak");
        assertThat(reason("https://idp.example.com/realm?x=1")).isEqualTo("wrong_issuer");
    }
}
