package dev.twofold.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.twofold.api.v1alpha1.MfaPolicy;
import dev.twofold.api.v1alpha1.OidcIssuer;
import dev.twofold.e2e.support.RealCluster;
import dev.twofold.e2e.support.TestCluster;
import dev.twofold.operator.TwofoldOperator;
import dev.twofold.operator.config.OperatorSettings;
import dev.twofold.operator.config.PkiSettings;
import dev.twofold.operator.config.ServingSans;
import dev.twofold.operator.config.WebhookEndpoint;
import dev.twofold.operator.metrics.MetricsServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator in-process against the real kube-apiserver: MfaPolicy status and Events, the admission webhook
 * configuration following policy edits, the serving-certificate Secrets, drift repair and metrics.
 *
 * <p>The cluster is shared with other suites (and possibly with a harness-run operator), so this instance owns its
 * own namespace and webhook configuration name and only handles policies labelled {@value #LABEL}={@value #VALUE};
 * its policies match only a made-up API group and group, so no other request ever waits on a webhook.
 */
@ExtendWith(RealCluster.class)
class MfaPolicyOperatorIT {

    private static final String NAMESPACE = "twofold-operator-it";
    private static final String CONFIGURATION = "twofold-mfa-operator-it";
    private static final String LABEL = "twofold.dev/test";
    private static final String VALUE = "operator-it";
    // The operator also runs the OidcIssuer status controller, whose informer needs that CRD to start.
    private static final Map<String, String> CRDS = Map.of(MfaPolicy.CRD_NAME,
            "/META-INF/fabric8/mfapolicies.twofold.dev-v1.yml", OidcIssuer.CRD_NAME,
            "/META-INF/fabric8/oidcissuers.twofold.dev-v1.yml");
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration FOLLOW = Duration.ofSeconds(2);

    private static PrometheusMeterRegistry registry;
    private static TwofoldOperator operator;
    private static MetricsServer metrics;

    @BeforeAll
    static void startOperator(TestCluster cluster) throws Exception {
        KubernetesClient admin = cluster.admin();
        for (Map.Entry<String, String> crd : CRDS.entrySet()) {
            try (InputStream yaml = MfaPolicyOperatorIT.class.getResourceAsStream(crd.getValue())) {
                admin.apiextensions().v1().customResourceDefinitions().load(yaml).forceConflicts().serverSideApply();
            }
            await().atMost(STARTUP).untilAsserted(() -> assertThat(admin.apiextensions().v1()
                    .customResourceDefinitions().withName(crd.getKey()).get().getStatus().getConditions())
                    .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Established=True")));
        }
        cluster.fixtures().namespace(NAMESPACE);

        OperatorSettings settings = new OperatorSettings(NAMESPACE,
                new WebhookEndpoint.Url(URI.create("https://127.0.0.1:19443/admission/mfa")),
                new ServingSans(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1"))), 0, false,
                new PkiSettings(Duration.ofDays(365), Duration.ofDays(30), Duration.ofHours(1), Duration.ofMinutes(10)),
                CONFIGURATION, Optional.of(LABEL + "=" + VALUE));
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        operator = new TwofoldOperator(admin, settings, Clock.systemUTC(), new SecureRandom(), registry, () -> {
        });
        operator.start();
        metrics = new MetricsServer(0, registry, operator::live, operator::ready);
    }

    @AfterAll
    static void stopOperator(TestCluster cluster) {
        if (operator != null) {
            operator.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        KubernetesClient admin = cluster.admin();
        admin.resources(MfaPolicy.class).withLabel(LABEL, VALUE).delete();
        admin.admissionRegistration().v1().validatingWebhookConfigurations().withName(CONFIGURATION).delete();
        admin.namespaces().withName(NAMESPACE).delete();
    }

    @Test
    void a_valid_policy_becomes_ready_with_its_generation_and_admission_rule_count(TestCluster cluster) {
        apply(cluster, policy("it-valid", "widgets", "create,delete", "25m"));

        await().atMost(STARTUP).untilAsserted(() -> {
            MfaPolicy policy = get(cluster, "it-valid");
            assertThat(policy.getStatus()).isNotNull();
            assertThat(policy.getStatus().observedGeneration()).isEqualTo(policy.getMetadata().getGeneration());
            assertThat(policy.getStatus().admissionRules()).isEqualTo(1);
            assertThat(ready(policy)).satisfies(c -> {
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getReason()).isEqualTo("Compiled");
            });
        });
    }

    @Test
    void a_policy_the_schema_accepts_but_the_validator_rejects_is_not_ready_and_gets_a_warning_event(
            TestCluster cluster) {
        apply(cluster, policy("it-invalid", "it.twofold.dev/v1", "gadgets", "create", "15m"));

        await().atMost(STARTUP).untilAsserted(() -> {
            MfaPolicy policy = get(cluster, "it-invalid");
            assertThat(policy.getStatus()).isNotNull();
            assertThat(policy.getStatus().observedGeneration()).isEqualTo(policy.getMetadata().getGeneration());
            assertThat(policy.getStatus().admissionRules()).isZero();
            assertThat(ready(policy)).satisfies(c -> {
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("InvalidSpec");
                assertThat(c.getMessage()).isEqualTo("the spec is invalid: spec.match.rules[0].apiGroups[0]: "
                        + "must be an API group name without version, e.g. \"apps\"");
            });
            List<Event> events = cluster.admin().v1().events().inNamespace("default")
                    .withField("involvedObject.name", "it-invalid").list().getItems();
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getReason()).isEqualTo("InvalidSpec");
                assertThat(e.getInvolvedObject().getKind()).isEqualTo("MfaPolicy");
                assertThat(e.getMessage()).contains("spec.match.rules[0].apiGroups[0]: must be an API group name");
            });
        });
        assertThat(rules(cluster)).noneMatch(r -> r.getResources().contains("gadgets"));
    }

    @Test
    void the_schema_rejects_malformed_policies_with_a_readable_422(TestCluster cluster) {
        assertThatThrownBy(() -> apply(cluster, policy("it-malformed", "widgets", "CONNECT", "15m")))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getMessage()).contains("spec.match.rules[0].verbs[0]")
                            .contains("should match '^(\\*|[a-z]+)$'");
                });
        assertThatThrownBy(() -> apply(cluster, policy("it-malformed", "widgets", "create", "25h")))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getMessage()).isEqualTo("MfaPolicy.twofold.dev \"it-malformed\" is "
                            + "invalid: spec.require.maxAuthAge: Invalid value: maxAuthAge must be more than 0s and at "
                            + "most 24h");
                });
        assertThat(get(cluster, "it-malformed")).isNull();
    }

    @Test
    void webhook_rules_follow_policy_edits_within_two_seconds_and_are_empty_once_every_policy_is_gone(
            TestCluster cluster) {
        // A clean slate: other tests' policies would merge into the same rules.
        cluster.admin().resources(MfaPolicy.class).withLabel(LABEL, VALUE).delete();
        await().atMost(STARTUP).untilAsserted(() -> assertThat(rules(cluster)).isEmpty());

        apply(cluster, policy("it-follow", "sprockets", "create", "15m"));
        await().atMost(FOLLOW).untilAsserted(() -> assertThat(describe(rules(cluster)))
                .containsExactly("[it.twofold.dev] [sprockets] [CREATE]"));

        apply(cluster, policy("it-follow", "sprockets,cogs", "create,update", "15m"));
        await().atMost(FOLLOW).untilAsserted(() -> assertThat(describe(rules(cluster)))
                .containsExactly("[it.twofold.dev] [cogs, sprockets] [CREATE, UPDATE]"));

        apply(cluster, policy("it-follow-2", "core.it.twofold.dev", "cogs", "*", "15m"));
        await().atMost(FOLLOW).untilAsserted(() -> assertThat(describe(rules(cluster))).containsExactly(
                "[core.it.twofold.dev] [cogs] [*]", "[it.twofold.dev] [cogs, sprockets] [CREATE, UPDATE]"));

        cluster.admin().resources(MfaPolicy.class).withName("it-follow").delete();
        await().atMost(FOLLOW).untilAsserted(() -> assertThat(describe(rules(cluster)))
                .containsExactly("[core.it.twofold.dev] [cogs] [*]"));

        cluster.admin().resources(MfaPolicy.class).withLabel(LABEL, VALUE).delete();
        await().atMost(FOLLOW).untilAsserted(() -> {
            ValidatingWebhookConfiguration configuration = configuration(cluster);
            assertThat(configuration.getWebhooks()).singleElement().satisfies(w -> {
                assertThat(w.getName()).isEqualTo("mfa.twofold.dev");
                assertThat(w.getRules()).isNullOrEmpty();
                assertThat(w.getClientConfig().getCaBundle()).isNotBlank();
            });
        });
    }

    @Test
    void the_webhook_fails_closed_skips_system_identities_and_trusts_the_ca_that_signed_its_serving_certificate(
            TestCluster cluster) throws Exception {
        await().atMost(STARTUP).untilAsserted(() -> {
            assertThat(cluster.admin().secrets().inNamespace(NAMESPACE).withName("twofold-webhook-ca").get())
                    .isNotNull();
            assertThat(cluster.admin().secrets().inNamespace(NAMESPACE).withName("twofold-webhook-tls").get())
                    .isNotNull();
            assertThat(configuration(cluster)).isNotNull();
        });
        Secret ca = cluster.admin().secrets().inNamespace(NAMESPACE).withName("twofold-webhook-ca").get();
        Secret tls = cluster.admin().secrets().inNamespace(NAMESPACE).withName("twofold-webhook-tls").get();
        ValidatingWebhook webhook = configuration(cluster).getWebhooks().getFirst();

        assertThat(ca.getData()).containsKeys("ca.crt", "ca.key");
        assertThat(tls.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(decode(tls.getData().get("tls.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        String bundle = decode(webhook.getClientConfig().getCaBundle());
        assertThat(decode(tls.getData().get("ca.crt"))).isEqualTo(bundle);
        X509Certificate serving = certificates(decode(tls.getData().get("tls.crt"))).getFirst();
        assertThat(serving.getSubjectAlternativeNames()).contains(List.of(7, "127.0.0.1"));
        assertChains(serving, bundle);

        assertThat(webhook.getClientConfig().getUrl()).isEqualTo("https://127.0.0.1:19443/admission/mfa");
        assertThat(webhook.getFailurePolicy()).isEqualTo("Fail");
        assertThat(webhook.getSideEffects()).isEqualTo("None");
        assertThat(webhook.getTimeoutSeconds()).isLessThanOrEqualTo(5);
        assertThat(webhook.getAdmissionReviewVersions()).containsExactly("v1");
        assertThat(webhook.getMatchConditions()).map(c -> c.getExpression())
                .contains("!('system:nodes' in request.userInfo.groups)");
        assertThat(configuration(cluster).getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("Namespace/" + NAMESPACE));
    }

    @Test
    void hand_edited_rules_are_restored(TestCluster cluster) {
        apply(cluster, policy("it-drift", "flanges", "delete", "15m"));
        await().atMost(STARTUP).untilAsserted(() -> assertThat(describe(rules(cluster)))
                .contains("[it.twofold.dev] [flanges] [DELETE]"));

        cluster.admin().admissionRegistration().v1().validatingWebhookConfigurations().withName(CONFIGURATION)
                .edit(c -> {
                    c.getWebhooks().getFirst().setRules(new ArrayList<>(List.of(new RuleWithOperationsBuilder()
                            .withApiGroups("").withApiVersions("v1").withResources("pods").withOperations("CREATE")
                            .build())));
                    c.getWebhooks().getFirst().setFailurePolicy("Ignore");
                    return c;
                });

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(describe(rules(cluster))).contains("[it.twofold.dev] [flanges] [DELETE]")
                    .doesNotContain("[[]] [pods] [CREATE]");
            assertThat(configuration(cluster).getWebhooks().getFirst().getFailurePolicy()).isEqualTo("Fail");
        });
    }

    @Test
    void metrics_and_probes_are_served(TestCluster cluster) {
        apply(cluster, policy("it-metrics", "widgets", "create", "15m"));
        await().atMost(STARTUP).untilAsserted(() -> {
            String text = http("/metrics");
            assertThat(text).contains("twofold_operator_policies{state=\"ready\"}")
                    .contains("twofold_operator_policies{state=\"invalid\"}")
                    .contains("twofold_operator_admission_rules ")
                    .contains("twofold_operator_webhook_ca_expiry_seconds ")
                    .contains("twofold_operator_webhook_serving_cert_expiry_seconds ")
                    .contains("operator_sdk_");
            assertThat(line(text, "twofold_operator_webhook_serving_cert_expiry_seconds "))
                    .isBetween(29 * 86400.0, 30 * 86400.0);
            assertThat(http("/readyz")).isEqualTo("ok\n");
            assertThat(http("/healthz")).isEqualTo("ok\n");
        });
    }

    private static String policy(String name, String resources, String verbs, String maxAuthAge) {
        return policy(name, "it.twofold.dev", resources, verbs, maxAuthAge);
    }

    private static String policy(String name, String apiGroup, String resources, String verbs, String maxAuthAge) {
        return """
                apiVersion: twofold.dev/v1alpha1
                kind: MfaPolicy
                metadata:
                  name: %s
                  labels:
                    %s: %s
                spec:
                  match:
                    rules:
                    - apiGroups: ["%s"]
                      resources: [%s]
                      verbs: [%s]
                    subjects:
                      groups: ["operator-it-nobody"]
                  require:
                    amr:
                      anyOf: [["otp"]]
                    maxAuthAge: %s
                """.formatted(name, LABEL, VALUE, apiGroup, quoted(resources), quoted(verbs), maxAuthAge);
    }

    private static String quoted(String csv) {
        return List.of(csv.split(",")).stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", "));
    }

    private static void apply(TestCluster cluster, String yaml) {
        cluster.admin().resources(MfaPolicy.class)
                .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .forceConflicts().serverSideApply();
    }

    private static MfaPolicy get(TestCluster cluster, String name) {
        return cluster.admin().resources(MfaPolicy.class).withName(name).get();
    }

    private static Condition ready(MfaPolicy policy) {
        return policy.getStatus().conditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst()
                .orElseThrow();
    }

    private static ValidatingWebhookConfiguration configuration(TestCluster cluster) {
        return cluster.admin().admissionRegistration().v1().validatingWebhookConfigurations().withName(CONFIGURATION)
                .get();
    }

    private static List<RuleWithOperations> rules(TestCluster cluster) {
        ValidatingWebhookConfiguration configuration = configuration(cluster);
        if (configuration == null || configuration.getWebhooks().isEmpty()
                || configuration.getWebhooks().getFirst().getRules() == null) {
            return List.of();
        }
        return configuration.getWebhooks().getFirst().getRules();
    }

    private static List<String> describe(Collection<RuleWithOperations> rules) {
        return rules.stream().map(r -> r.getApiGroups() + " " + r.getResources() + " " + r.getOperations()).toList();
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
    }

    @SuppressWarnings("unchecked")
    private static List<X509Certificate> certificates(String pem) throws Exception {
        return new ArrayList<>((Collection<X509Certificate>) CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
    }

    private static void assertChains(X509Certificate leaf, String bundle) throws Exception {
        Set<TrustAnchor> anchors = certificates(bundle).stream().map(c -> new TrustAnchor(c, null))
                .collect(Collectors.toSet());
        PKIXParameters parameters = new PKIXParameters(anchors);
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
    }

    private static String http(String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metrics.port() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.body();
        }
    }

    private static double line(String metricsText, String prefix) {
        return metricsText.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).strip())
                .mapToDouble(Double::parseDouble).findFirst().orElseThrow();
    }
}
