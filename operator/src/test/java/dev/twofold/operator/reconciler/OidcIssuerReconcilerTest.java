package dev.twofold.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.twofold.api.v1alpha1.OidcIssuer;
import dev.twofold.api.v1alpha1.OidcIssuerSpec;
import dev.twofold.api.v1alpha1.OidcIssuerStatus;
import dev.twofold.operator.status.EventRecorder;
import dev.twofold.operator.status.IssuerStatusAggregator;
import dev.twofold.webhook.oidc.IssuerProbe;
import dev.twofold.webhook.oidc.ProbeResult;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The reconciler's decisions for one pass: what it writes, when it probes again, what it retries, which Events. */
class OidcIssuerReconcilerTest {

    static final String URL = "https://127.0.0.1:8443/realms/twofold";
    static final String JWKS = URL + "/protocol/openid-connect/certs";
    static final Duration INTERVAL = Duration.ofMinutes(5);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC);

    private KubernetesMockServer server;
    private KubernetesClient client;
    private final AtomicReference<ProbeResult> answer = new AtomicReference<>(
            new ProbeResult.KeysLoaded(JWKS, List.of("k1"), 1));
    private final AtomicInteger probes = new AtomicInteger();
    private OidcIssuerReconciler reconciler;

    @BeforeEach
    void startServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        client = server.createClient();
        reconciler = reconciler(config -> {
            probes.incrementAndGet();
            return answer.get();
        });
    }

    @AfterEach
    void stopServer() {
        client.close();
        server.destroy();
    }

    private OidcIssuerReconciler reconciler(IssuerProbe probe) {
        return new OidcIssuerReconciler(probe, new IssuerStatusAggregator(), new EventRecorder(client, CLOCK), CLOCK,
                INTERVAL);
    }

    static OidcIssuer issuer(String name, String url, String createdAt) {
        OidcIssuer issuer = OidcIssuer.of(name, new OidcIssuerSpec(url, List.of("kubectl"), null, null, null, null,
                null));
        issuer.getMetadata().setGeneration(1L);
        issuer.getMetadata().setUid("uid-" + name);
        issuer.getMetadata().setCreationTimestamp(createdAt);
        return issuer;
    }

    static OidcIssuer keycloak() {
        return issuer("keycloak", URL, "2026-01-01T10:00:00Z");
    }

    private static OidcIssuerStatus written(UpdateControl<OidcIssuer> control) {
        assertThat(control.isPatchStatus()).isTrue();
        OidcIssuer patch = control.getResource().orElseThrow();
        assertThat(patch.getSpec()).as("only the status is sent").isNull();
        return patch.getStatus();
    }

    private static Condition ready(OidcIssuerStatus status) {
        return IssuerStatusAggregator.ready(status).orElseThrow();
    }

    private List<String> events() {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .map(e -> e.getType() + " " + e.getReason() + " " + e.getInvolvedObject().getName() + ": "
                        + e.getMessage())
                .toList();
    }

    @Test
    @DisplayName("a reachable issuer becomes ready, is announced once, and is probed again after the interval")
    void ready() throws Exception {
        OidcIssuer issuer = keycloak();

        UpdateControl<OidcIssuer> control = reconciler.reconcile(issuer, List.of(issuer));

        OidcIssuerStatus status = written(control);
        assertThat(ready(status).getStatus()).isEqualTo("True");
        assertThat(status.keyIds()).containsExactly("k1");
        assertThat(control.getScheduleDelay()).hasValue(INTERVAL.toMillis());
        assertThat(events()).containsExactly("Normal Verifying keycloak: tokens with iss " + URL
                + " and aud in [kubectl] are verified");
    }

    @Test
    @DisplayName("probing an unchanged, healthy issuer again writes nothing and reschedules")
    void unchanged() throws Exception {
        OidcIssuer issuer = keycloak();
        issuer.setStatus(written(reconciler.reconcile(issuer, List.of(issuer))));

        UpdateControl<OidcIssuer> again = reconciler.reconcile(issuer, List.of(issuer));

        assertThat(again.isNoUpdate()).isTrue();
        assertThat(again.getScheduleDelay()).hasValue(INTERVAL.toMillis());
        assertThat(probes).hasValue(2);
    }

    @Test
    @DisplayName("an invalid spec is reported with a Warning Event, not probed and not retried")
    void invalid() throws Exception {
        OidcIssuer issuer = issuer("bad", "http://idp.example.com", "2026-01-01T10:00:00Z");

        UpdateControl<OidcIssuer> control = reconciler.reconcile(issuer, List.of(issuer));

        OidcIssuerStatus status = written(control);
        assertThat(ready(status).getReason()).isEqualTo("InvalidSpec");
        assertThat(control.getScheduleDelay()).isEmpty();
        assertThat(probes).hasValue(0);
        assertThat(events()).containsExactly("Warning InvalidSpec bad: the spec is invalid: spec.url: must use https");
    }

    @Test
    @DisplayName("an unreachable IdP is retried with back-off, its status written once, without a stack trace")
    void unreachable() throws Exception {
        OidcIssuer issuer = issuer("down", "https://127.0.0.1:1/realms/down", "2026-01-01T10:00:00Z");
        OidcIssuerReconciler real = reconciler(IssuerProbe.https());

        IssuerProbeFailed failure = catchFailure(() -> real.reconcile(issuer, List.of(issuer)));
        assertThat(failure).hasMessage("OidcIssuer down is not ready (DiscoveryFailed): discovery failed: cannot "
                + "fetch https://127.0.0.1:1/realms/down/.well-known/openid-configuration: Connection refused");
        assertThat(failure.getStackTrace()).isEmpty();

        ErrorStatusUpdateControl<OidcIssuer> control = real.updateErrorStatus(issuer, failure);

        assertThat(control.isNoRetry()).isFalse();
        OidcIssuerStatus status = control.getResource().orElseThrow().getStatus();
        assertThat(status.conditions()).extracting(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason())
                .containsExactly("DiscoveryOK=False DiscoveryFailed", "KeysLoaded=Unknown DiscoveryFailed",
                        "Ready=False DiscoveryFailed");
        assertThat(status.conditions()).allSatisfy(c -> assertThat(c.getMessage()).doesNotContain("\n")
                .doesNotContain("Exception"));
        assertThat(events()).containsExactly("Warning DiscoveryFailed down: discovery failed: cannot fetch "
                + "https://127.0.0.1:1/realms/down/.well-known/openid-configuration: Connection refused");

        // The next retry finds the same: nothing to write, the framework keeps backing off.
        issuer.setStatus(status);
        IssuerProbeFailed again = catchFailure(() -> real.reconcile(issuer, List.of(issuer)));
        assertThat(real.updateErrorStatus(issuer, again).isDefaultErrorProcessing()).isTrue();
    }

    @Test
    @DisplayName("an IdP that comes back makes the issuer ready again")
    void recovery() throws Exception {
        OidcIssuer issuer = keycloak();
        answer.set(new ProbeResult.KeysUnavailable(JWKS, "cannot fetch " + JWKS + ": Read timed out"));
        IssuerProbeFailed failure = catchFailure(() -> reconciler.reconcile(issuer, List.of(issuer)));
        issuer.setStatus(reconciler.updateErrorStatus(issuer, failure).getResource().orElseThrow().getStatus());
        assertThat(ready(issuer.getStatus()).getReason()).isEqualTo("KeysUnavailable");

        answer.set(new ProbeResult.KeysLoaded(JWKS, List.of("k2"), 1));
        OidcIssuerStatus status = written(reconciler.reconcile(issuer, List.of(issuer)));

        assertThat(ready(status).getStatus()).isEqualTo("True");
        assertThat(status.keyIds()).containsExactly("k2");
    }

    @Test
    @DisplayName("of two issuers with one url, the newer reports DuplicateUrl and is checked again later")
    void duplicateUrl() throws Exception {
        OidcIssuer older = issuer("corp", URL, "2026-01-01T09:00:00Z");
        OidcIssuer newer = keycloak();

        UpdateControl<OidcIssuer> control = reconciler.reconcile(newer, List.of(older, newer));

        assertThat(ready(written(control)).getReason()).isEqualTo("DuplicateUrl");
        assertThat(control.getScheduleDelay()).hasValue(INTERVAL.toMillis());
        assertThat(probes).hasValue(0);
        // The older one is served and probed as usual.
        assertThat(ready(written(reconciler.reconcile(older, List.of(older, newer)))).getStatus()).isEqualTo("True");
    }

    @Test
    @DisplayName("an invalid older issuer does not shadow a valid one with the same url")
    void invalidOlderDoesNotShadow() throws Exception {
        OidcIssuer older = issuer("broken", URL, "2026-01-01T09:00:00Z");
        older.setSpec(new OidcIssuerSpec(URL, List.of(), null, null, null, null, null));
        OidcIssuer newer = keycloak();

        assertThat(ready(written(reconciler.reconcile(newer, List.of(older, newer)))).getStatus()).isEqualTo("True");
    }

    @Test
    @DisplayName("other failures (API errors) are left to the framework's retry")
    void otherErrors() {
        assertThat(reconciler.updateErrorStatus(keycloak(), new KubernetesClientException("conflict"))
                .isDefaultErrorProcessing()).isTrue();
    }

    private interface Pass {
        UpdateControl<OidcIssuer> run() throws Exception;
    }

    private static IssuerProbeFailed catchFailure(Pass pass) {
        IssuerProbeFailed failure = catchThrowableOfType(IssuerProbeFailed.class, pass::run);
        assertThat(failure).as("the pass throws IssuerProbeFailed").isNotNull();
        return failure;
    }
}
