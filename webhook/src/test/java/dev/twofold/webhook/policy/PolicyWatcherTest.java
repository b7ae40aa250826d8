package dev.twofold.webhook.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twofold.api.policy.Decision;
import dev.twofold.api.policy.Evidence;
import dev.twofold.api.policy.PolicySet;
import dev.twofold.api.policy.RequestAttributes;
import dev.twofold.api.v1alpha1.MfaPolicy;
import dev.twofold.webhook.testing.Reviews;
import dev.twofold.webhook.testing.SamplePolicies;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The informer-backed snapshot against the fabric8 mock API server (CRUD mode). */
class PolicyWatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Clock CLOCK = Clock.fixed(Reviews.NOW, ZoneOffset.UTC);
    private static final RequestAttributes BOB_EXECS = new RequestAttributes("bob", List.of("oidc:developers"),
            "connect", "", "pods", "exec", "demo", Map.of(), "web-0");
    private static final Evidence PASSWORD_ONLY = Evidence.fromUserExtra(Map.of(Evidence.AMR, List.of("pwd"),
            Evidence.AUTH_TIME, List.of("1767268200")));

    private KubernetesMockServer server;
    private KubernetesClient client;
    private final PolicySnapshot snapshot = new PolicySnapshot();
    private PolicyWatcher policies;
    private NamespaceWatcher namespaces;

    @BeforeEach
    void startServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(MfaPolicy.class));
        client = server.createClient();
        policies = new PolicyWatcher(client, snapshot);
        namespaces = new NamespaceWatcher(client);
    }

    @AfterEach
    void stopServer() {
        policies.close();
        namespaces.close();
        client.close();
        server.destroy();
    }

    private void create(String yaml) {
        client.resource(SamplePolicies.parse(yaml)).create();
    }

    private void start() throws Exception {
        policies.start().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static List<String> names(PolicySet set) {
        return set.policies().stream().map(p -> p.name()).toList();
    }

    @Test
    void nothingIsLoadedBeforeTheFirstListCompletes() {
        assertThat(snapshot.loaded()).isFalse();
        assertThat(snapshot.current()).isNull();
        assertThat(snapshot.size()).isZero();
    }

    @Test
    void theFirstSnapshotHoldsEveryExistingPolicy() throws Exception {
        create(SamplePolicies.EXEC);
        create(SamplePolicies.SECRET_READS);

        start();

        assertThat(snapshot.loaded()).isTrue();
        assertThat(names(snapshot.current())).containsExactly("exec-needs-mfa", "secret-reads-need-mfa");
    }

    @Test
    void anEmptyClusterLoadsAnEmptySet() throws Exception {
        start();

        assertThat(snapshot.loaded()).isTrue();
        assertThat(snapshot.size()).isZero();
    }

    @Test
    void anAddedPolicyIsCompiledIntoANewSnapshot() throws Exception {
        start();
        PolicySet before = snapshot.current();

        create(SamplePolicies.EXEC);

        await().atMost(WAIT).until(() -> snapshot.size() == 1);
        assertThat(snapshot.current()).isNotSameAs(before);
        assertThat(snapshot.current().evaluate(BOB_EXECS, PASSWORD_ONLY, CLOCK.instant()))
                .isInstanceOf(Decision.Deny.class);
    }

    @Test
    void anUpdatedPolicyIsRecompiled() throws Exception {
        create(SamplePolicies.EXEC);
        start();
        assertThat(snapshot.current().evaluate(BOB_EXECS, PASSWORD_ONLY, CLOCK.instant()))
                .isInstanceOf(Decision.Deny.class);

        client.resource(SamplePolicies.parse(SamplePolicies.EXEC.replace("enforcement: Enforce",
                "enforcement: Audit"))).update();

        await().atMost(WAIT).untilAsserted(() -> assertThat(snapshot.current().evaluate(BOB_EXECS, PASSWORD_ONLY,
                CLOCK.instant())).isInstanceOf(Decision.AuditWarn.class));
    }

    @Test
    void anInvalidPolicyIsSkippedAndTheOthersStay() throws Exception {
        create(SamplePolicies.EXEC);
        start();

        create("""
                apiVersion: twofold.dev/v1alpha1
                kind: MfaPolicy
                metadata: {name: broken}
                spec:
                  match:
                    rules: [{apiGroups: [""], resources: ["secrets"], verbs: ["get"]}]
                  require: {maxAuthAge: "soon"}
                """);
        create(SamplePolicies.RBAC_WRITES);

        await().atMost(WAIT).untilAsserted(() -> assertThat(names(snapshot.current()))
                .containsExactly("exec-needs-mfa", "rbac-writes-need-mfa"));
    }

    @Test
    void aDeletedPolicyIsRemoved() throws Exception {
        create(SamplePolicies.EXEC);
        create(SamplePolicies.SECRET_READS);
        start();

        client.resources(MfaPolicy.class).withName("exec-needs-mfa").delete();

        await().atMost(WAIT).untilAsserted(() -> assertThat(names(snapshot.current()))
                .containsExactly("secret-reads-need-mfa"));
        assertThat(snapshot.current().evaluate(BOB_EXECS, PASSWORD_ONLY, CLOCK.instant()))
                .isInstanceOf(Decision.Allow.class);
    }

    @Test
    void namespaceLabelsComeFromTheInformerAndFollowChanges() throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("demo")
                .addToLabels("kubernetes.io/metadata.name", "demo").endMetadata().build()).create();
        assertThat(namespaces.synced()).isFalse();

        namespaces.start().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(namespaces.synced()).isTrue();
        assertThat(namespaces.labels("demo")).containsExactly(Map.entry("kubernetes.io/metadata.name", "demo"));
        assertThat(namespaces.labels("unknown")).isEmpty();

        client.namespaces().withName("demo").edit(ns -> new NamespaceBuilder(ns).editMetadata()
                .addToLabels("twofold.dev/tier", "prod").endMetadata().build());

        await().atMost(WAIT).untilAsserted(() -> assertThat(namespaces.labels("demo"))
                .containsEntry("twofold.dev/tier", "prod"));
    }

    @Test
    void theLiveEngineUsesTheInformersNamespaceLabels() throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("demo")
                .addToLabels("kubernetes.io/metadata.name", "demo").endMetadata().build()).create();
        create(SamplePolicies.CONFIGMAP_AUDIT);
        LivePolicyEngine engine = new LivePolicyEngine(snapshot, namespaces, CLOCK);
        RequestAttributes configMapUpdate = new RequestAttributes("bob", List.of("oidc:developers"), "update", "",
                "configmaps", "", "demo", Map.of(), "app-config");

        start();
        try {
            engine.decide(configMapUpdate, PASSWORD_ONLY);
            throw new AssertionError("decided before the namespaces were synced");
        } catch (PoliciesNotLoaded expected) {
            assertThat(expected).hasMessage("namespace labels not synced yet");
        }
        namespaces.start().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(engine.decide(configMapUpdate, PASSWORD_ONLY)).isInstanceOf(Decision.AuditWarn.class);
    }
}
