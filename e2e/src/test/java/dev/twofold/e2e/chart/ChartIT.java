package dev.twofold.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.e2e.controlplane.ControlPlaneBinaries;
import dev.twofold.e2e.helm.HelmBinary;
import dev.twofold.e2e.support.Command;
import dev.twofold.e2e.support.Kubectl;
import dev.twofold.e2e.support.RealCluster;
import dev.twofold.e2e.support.TestCluster;
import dev.twofold.operator.config.OperatorFlags;
import dev.twofold.operator.config.OperatorSettings;
import dev.twofold.operator.config.WebhookEndpoint;
import dev.twofold.webhook.WebhookOptions;
import dev.twofold.webhook.server.SecretRef;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Helm chart {@code charts/twofold} against the real kube-apiserver: helm lint and template, the rendered
 * manifests accepted by the API server (server-side dry run, then a real server-side apply into a fresh namespace,
 * under the restricted Pod Security Standard), a second release with workload identity installed by helm itself next
 * to the first, and proofs of least privilege through SubjectAccessReviews for the ServiceAccounts of both. No kubelet
 * runs, so pods never start: what is tested is what the API server accepts and what RBAC allows.
 *
 * <p>The cluster is shared with other suites and may run Twofold's own components in {@code twofold-system}: the
 * chart goes into its own namespaces under other release names.
 */
@ExtendWith(RealCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartIT {

    static final String NAMESPACE = "twofold-chart-it";
    static final String RELEASE = "chart-it";
    static final String FULLNAME = "chart-it-twofold";
    static final String OPERATOR_SA = "system:serviceaccount:" + NAMESPACE + ":" + FULLNAME + "-operator";
    static final String WEBHOOK_SA = "system:serviceaccount:" + NAMESPACE + ":" + FULLNAME + "-webhook";
    static final String CONFIGURATION = FULLNAME + "-mfa";
    static final String SECOND_NAMESPACE = "twofold-chart-it-2";
    static final String SECOND_RELEASE = "chart-it-2";
    static final String SECOND_FULLNAME = "chart-it-2-twofold";
    static final String WORKLOAD_OPERATOR_SA = "system:serviceaccount:" + SECOND_NAMESPACE + ":" + SECOND_FULLNAME
            + "-operator";
    static final String PKI_NAMESPACE = "twofold-chart-it-pki";
    /** The second release runs workload identity, with a root CA Secret for intermediate TrustDomains. */
    static final String[] WORKLOAD_VALUES = {"--set", "operator.workloadIdentity.enabled=true",
        "--set", "operator.workloadIdentity.rootCaSecrets[0].namespace=" + PKI_NAMESPACE,
        "--set", "operator.workloadIdentity.rootCaSecrets[0].name=root-ca"};
    static final String KUBE_VERSION = ControlPlaneBinaries.KUBERNETES_VERSION;
    static final String TWOFOLD = "twofold.dev";
    static final Duration HELM_TIMEOUT = Duration.ofMinutes(2);

    static Path chart;
    static Path work;
    static HelmBinary helm;
    static Kubectl kubectl;
    static Path adminKubeconfig;
    static KubernetesClient admin;
    static Path rendered;
    static Command.Result crdsApplied;
    static Command.Result dryRun;
    static Command.Result applied;
    static boolean secondInstalled;
    static Command.Result secondInstall;

    @BeforeAll
    static void installChart(TestCluster cluster) throws IOException {
        chart = TestCluster.projectRoot().resolve("charts/twofold");
        work = Path.of("target/chart-it").toAbsolutePath();
        Files.createDirectories(work);
        helm = HelmBinary.ensure(TestCluster.projectRoot());
        admin = cluster.admin();
        adminKubeconfig = cluster.controlPlane().adminKubeconfig();
        kubectl = Kubectl.withKubeconfig(Files.readString(adminKubeconfig));

        // A fresh namespace that warns about anything the restricted Pod Security Standard forbids.
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .addToLabels("pod-security.kubernetes.io/warn", "restricted")
                .addToLabels("pod-security.kubernetes.io/warn-version", "latest")
                .endMetadata().build()).serverSideApply();

        Path crds = work.resolve("crds.yaml");
        Files.writeString(crds, helmOk("show", "crds", chart.toString()));
        // The harness has already applied the same generated CRDs under the field manager "fabric8", so the API server
        // reports their atomic .spec.versions as conflicting: the chart's copies take them over (ChartCrdsTest keeps
        // them identical to the generated files).
        crdsApplied = kubectl.run("apply", "--server-side", "--force-conflicts", "--field-manager=chart-it", "-f",
                crds.toString());

        rendered = work.resolve("rendered.yaml");
        Files.writeString(rendered, template(RELEASE, NAMESPACE));
        dryRun = kubectl.run("apply", "--server-side", "--dry-run=server", "--field-manager=chart-it", "-f",
                rendered.toString());
        applied = kubectl.run("apply", "--server-side", "--field-manager=chart-it", "-f", rendered.toString());

        // A second release, installed by helm itself, with workload identity on.
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(PKI_NAMESPACE).endMetadata()
                .build()).serverSideApply();
        List<String> install = new ArrayList<>(List.of("install", SECOND_RELEASE, chart.toString(), "-n",
                SECOND_NAMESPACE, "--create-namespace", "--kubeconfig", adminKubeconfig.toString()));
        install.addAll(List.of(WORKLOAD_VALUES));
        secondInstall = helm(install.toArray(String[]::new));
        secondInstalled = secondInstall.exitCode() == 0;
    }

    @AfterAll
    static void uninstall() {
        if (secondInstalled) {
            helm("uninstall", SECOND_RELEASE, "-n", SECOND_NAMESPACE, "--kubeconfig", adminKubeconfig.toString());
        }
        if (rendered != null) {
            kubectl.run("delete", "--ignore-not-found", "--wait=false", "-f", rendered.toString());
        }
        // No controller manager runs here, so the namespaces stay Terminating; nothing in them runs anyway.
        if (admin != null) {
            admin.namespaces().withName(NAMESPACE).delete();
            admin.namespaces().withName(SECOND_NAMESPACE).delete();
            admin.namespaces().withName(PKI_NAMESPACE).delete();
        }
    }

    // ---- helm lint and template -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "helm lint {0} passes")
    @MethodSource("lintVariants")
    void helmLintPasses(String variant, List<String> args) {
        List<String> command = new ArrayList<>(List.of("lint", chart.toString()));
        command.addAll(args);
        Command.Result result = helm(command.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("1 chart(s) linted, 0 chart(s) failed").doesNotContain("[WARNING]")
                .doesNotContain("[ERROR]");
    }

    static Stream<Arguments> lintVariants() {
        return Stream.of(
                Arguments.of("with default values", List.of()),
                Arguments.of("--strict", List.of("--strict")),
                Arguments.of("--strict with a ServiceMonitor and no NetworkPolicy",
                        List.of("--strict", "--set", "serviceMonitor.enabled=true", "--set",
                                "networkPolicy.enabled=false")),
                Arguments.of("--strict with the dashboard and the alerts",
                        List.of("--strict", "--set", "dashboards.enabled=true", "--set", "prometheusRule.enabled=true")));
    }

    @Test
    @DisplayName("default values render exactly the expected objects, and no webhook configuration or Secret")
    void defaultRenderHoldsTheExpectedObjects() {
        Map<String, Long> kinds = objects(template(RELEASE, NAMESPACE)).stream()
                .collect(Collectors.groupingBy(HasMetadata::getKind, TreeMap::new, Collectors.counting()));
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ServiceAccount", 2L, "ClusterRole", 2L, "ClusterRoleBinding", 2L, "Role", 3L, "RoleBinding", 3L,
                "Service", 3L, "Deployment", 2L, "PodDisruptionBudget", 2L, "NetworkPolicy", 2L));
    }

    @Test
    @DisplayName("cluster-scoped objects and objects outside the release namespace carry the release's full name, "
            + "so two releases never collide")
    void sharedNamesCarryTheFullName() {
        List<String> first = sharedNames(objects(template(RELEASE, NAMESPACE)));
        List<String> second = sharedNames(objects(template(SECOND_RELEASE, SECOND_NAMESPACE, WORKLOAD_VALUES)));
        assertThat(first).isNotEmpty().allSatisfy(name -> assertThat(name).contains("/" + FULLNAME));
        assertThat(second).isNotEmpty().allSatisfy(name -> assertThat(name).contains("/" + SECOND_FULLNAME));
        assertThat(first).doesNotContainAnyElementsOf(second);
    }

    @Test
    @DisplayName("the operator runs `twofold operator` with flags its own parser accepts: this namespace, the chart's "
            + "webhook Service, leader election and a configuration name of this release")
    void operatorArgumentsParse() throws Exception {
        Deployment operator = deployment(objects(template(RELEASE, NAMESPACE)), FULLNAME + "-operator");
        assertThat(operator.getSpec().getReplicas()).isEqualTo(2);
        Container container = onlyContainer(operator);
        assertThat(container.getCommand()).as("the image's entry point, the Launcher").isNullOrEmpty();
        assertThat(container.getArgs().getFirst()).isEqualTo("operator");
        OperatorSettings settings = OperatorFlags.parse(container.getArgs().subList(1, container.getArgs().size())
                .toArray(String[]::new));
        assertThat(settings.namespace()).isEqualTo(NAMESPACE);
        assertThat(settings.webhook()).isEqualTo(new WebhookEndpoint.Service(NAMESPACE, FULLNAME + "-webhook", 443));
        assertThat(settings.leaderElection()).isTrue();
        assertThat(settings.workloadIdentity()).isFalse();
        assertThat(settings.issuerProbeInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.bundlePropagation()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.webhookConfigurationName()).isEqualTo(CONFIGURATION);
        assertThat(settings.servingSans().dnsNames()).containsExactly(
                FULLNAME + "-webhook." + NAMESPACE + ".svc", FULLNAME + "-webhook." + NAMESPACE + ".svc.cluster.local");
        assertThat(port(container, "metrics")).isEqualTo(settings.metricsPort());
        assertProbes(container, "metrics");
        assertThat(env(container, "JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=25", "-XX:+UseSerialGC");
    }

    @Test
    @DisplayName("operator.workloadIdentity.enabled=true turns on `--workload-identity`")
    void workloadIdentityFlag() throws Exception {
        List<String> args = onlyContainer(deployment(objects(template(SECOND_RELEASE, SECOND_NAMESPACE,
                WORKLOAD_VALUES)), SECOND_FULLNAME + "-operator")).getArgs();
        assertThat(OperatorFlags.parse(args.subList(1, args.size()).toArray(String[]::new)).workloadIdentity()).isTrue();
    }

    @Test
    @DisplayName("operator.workloadIdentity.agent.enabled=true serves the agent endpoint: flags, port, Service, "
            + "its name in the serving certificate, and create tokenreviews (absent otherwise)")
    void agentEndpoint() throws Exception {
        List<String> agentValues = new java.util.ArrayList<>(List.of(WORKLOAD_VALUES));
        agentValues.addAll(List.of("--set", "operator.workloadIdentity.agent.enabled=true"));
        List<HasMetadata> objects = objects(template(SECOND_RELEASE, SECOND_NAMESPACE,
                agentValues.toArray(String[]::new)));
        Container container = onlyContainer(deployment(objects, SECOND_FULLNAME + "-operator"));
        OperatorSettings settings = OperatorFlags.parse(container.getArgs().subList(1, container.getArgs().size())
                .toArray(String[]::new));
        var agent = settings.agentEndpoint().orElseThrow();
        assertThat(agent.port()).isEqualTo(8443).isEqualTo(port(container, "agent"));
        assertThat(agent.audience()).isEqualTo("twofold");
        String service = SECOND_FULLNAME + "-operator-agent";
        assertThat(settings.servingSans().dnsNames()).contains(service + "." + SECOND_NAMESPACE + ".svc");
        assertThat(named(objects, Service.class, service).getSpec().getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("agent"));
        java.util.function.Function<List<HasMetadata>, Boolean> reviewsTokens = all -> named(all, ClusterRole.class,
                SECOND_FULLNAME + "-operator-workload").getRules().stream()
                .anyMatch(r -> r.getResources().contains("tokenreviews") && r.getVerbs().equals(List.of("create")));
        assertThat(reviewsTokens.apply(objects)).isTrue();
        assertThat(reviewsTokens.apply(objects(template(SECOND_RELEASE, SECOND_NAMESPACE, WORKLOAD_VALUES))))
                .isFalse();
    }

    @Test
    @DisplayName("a fixed webhook ClusterIP and extra DNS names reach the serving certificate's SANs")
    void fixedClusterIpBecomesAnIpSan() throws Exception {
        Deployment operator = deployment(objects(template(RELEASE, NAMESPACE, "--set",
                "webhook.service.clusterIP=10.96.0.53", "--set",
                "operator.servingCertificate.extraDnsNames={twofold.example.internal}")), FULLNAME + "-operator");
        List<String> args = onlyContainer(operator).getArgs();
        OperatorSettings settings = OperatorFlags.parse(args.subList(1, args.size()).toArray(String[]::new));
        assertThat(settings.servingSans().ipAddresses()).extracting(InetAddress::getHostAddress)
                .containsExactly("10.96.0.53");
        assertThat(settings.servingSans().dnsNames()).contains("twofold.example.internal");
    }

    @Test
    @DisplayName("the webhook runs `twofold webhook` with flags its own parser accepts, 3 replicas, "
            + "system-cluster-critical, probes on the metrics port, a preStop sleep shorter than the grace period, "
            + "and spreads across nodes and zones")
    void webhookDeployment() throws Exception {
        List<HasMetadata> objects = objects(template(RELEASE, NAMESPACE));
        Deployment webhook = deployment(objects, FULLNAME + "-webhook");
        assertThat(webhook.getSpec().getReplicas()).isEqualTo(3);
        assertThat(webhook.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        PodSpec pod = webhook.getSpec().getTemplate().getSpec();
        assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
        assertThat(pod.getServiceAccountName()).isEqualTo(FULLNAME + "-webhook");

        Container container = onlyContainer(webhook);
        assertThat(container.getArgs().getFirst()).isEqualTo("webhook");
        WebhookOptions options = WebhookOptions.parse(container.getArgs().subList(1, container.getArgs().size()));
        assertThat(options.tlsSecret()).isEqualTo(new SecretRef(NAMESPACE, "twofold-webhook-tls"));
        assertThat(port(container, "https")).isEqualTo(options.port()).isEqualTo(8443);
        assertThat(port(container, "metrics")).isEqualTo(options.metricsPort());
        assertProbes(container, "metrics");
        assertThat(env(container, "JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=25", "-XX:+UseSerialGC");

        int preStop = container.getLifecycle().getPreStop().getSleep().getSeconds().intValue();
        assertThat(preStop).isPositive();
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(preStop + 5L);
        assertThat(pod.getTopologySpreadConstraints()).extracting(TopologySpreadConstraint::getTopologyKey)
                .containsExactlyInAnyOrder("kubernetes.io/hostname", "topology.kubernetes.io/zone");
        assertThat(pod.getTopologySpreadConstraints()).allSatisfy(c -> {
            assertThat(c.getLabelSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/component", "webhook")
                    .containsEntry("app.kubernetes.io/instance", RELEASE);
            assertThat(c.getMatchLabelKeys()).containsExactly("pod-template-hash");
        });

        Service service = named(objects, Service.class, FULLNAME + "-webhook");
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(443);
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("https");
        });
        assertThat(service.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "webhook");
        PodDisruptionBudget pdb = named(objects, PodDisruptionBudget.class, FULLNAME + "-webhook");
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    }

    @Test
    @DisplayName("webhook.impersonationProxies and webhook.apiAudiences reach the webhook's flags")
    void webhookListsReachItsFlags() throws Exception {
        Container container = onlyContainer(deployment(objects(template(RELEASE, NAMESPACE,
                "--set", "webhook.impersonationProxies={auth-proxy,system:serviceaccount:proxy:front}",
                "--set", "webhook.apiAudiences={https://kubernetes.default.svc,api}")), FULLNAME + "-webhook"));
        WebhookOptions options = WebhookOptions.parse(container.getArgs().subList(1, container.getArgs().size()));
        assertThat(options.impersonationProxies()).containsExactlyInAnyOrder("auth-proxy",
                "system:serviceaccount:proxy:front");
        assertThat(options.apiAudiences()).containsExactlyInAnyOrder("https://kubernetes.default.svc", "api");
    }

    @Test
    @DisplayName("both pods run non-root with a read-only root, no privilege escalation, no capabilities, "
            + "RuntimeDefault seccomp and a writable /tmp")
    void securityContexts() {
        List<HasMetadata> objects = objects(template(RELEASE, NAMESPACE));
        for (String name : List.of(FULLNAME + "-operator", FULLNAME + "-webhook")) {
            PodSpec pod = deployment(objects, name).getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(name).isEqualTo("RuntimeDefault");
            Container container = pod.getContainers().getFirst();
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as(name).isTrue();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();
            assertThat(container.getSecurityContext().getCapabilities().getDrop()).as(name).containsExactly("ALL");
            assertThat(container.getVolumeMounts()).as(name)
                    .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
            assertThat(pod.getVolumes()).as(name).anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
        }
    }

    @Test
    @DisplayName("the NetworkPolicy admits the webhook's HTTPS port from anywhere and metrics only from the "
            + "monitoring namespace; networkPolicy.enabled=false renders none")
    void networkPolicyToggle() {
        NetworkPolicy webhook = named(objects(template(RELEASE, NAMESPACE)), NetworkPolicy.class, FULLNAME + "-webhook");
        assertThat(webhook.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(webhook.getSpec().getIngress()).hasSize(2);
        assertThat(webhook.getSpec().getIngress().get(0).getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("https"));
        assertThat(webhook.getSpec().getIngress().get(0).getFrom()).isNullOrEmpty();
        assertThat(webhook.getSpec().getIngress().get(1).getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("metrics"));
        assertThat(webhook.getSpec().getIngress().get(1).getFrom()).singleElement().satisfies(peer ->
                assertThat(peer.getNamespaceSelector().getMatchLabels())
                        .containsExactlyEntriesOf(Map.of("kubernetes.io/metadata.name", "monitoring")));

        assertThat(objects(template(RELEASE, NAMESPACE, "--set", "networkPolicy.enabled=false")))
                .noneMatch(o -> o instanceof NetworkPolicy);
    }

    @Test
    @DisplayName("serviceMonitor.enabled=true renders a ServiceMonitor that selects both metrics Services by their "
            + "labels and port; it is off by default")
    void serviceMonitorToggle() {
        assertThat(objects(template(RELEASE, NAMESPACE))).noneMatch(o -> "ServiceMonitor".equals(o.getKind()));

        List<HasMetadata> objects = objects(template(RELEASE, NAMESPACE, "--set", "serviceMonitor.enabled=true"));
        GenericKubernetesResource monitor = objects.stream().filter(o -> "ServiceMonitor".equals(o.getKind()))
                .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        @SuppressWarnings("unchecked")
        Map<String, String> selector = (Map<String, String>) monitor.get("spec", "selector", "matchLabels");
        List<Service> selected = objects.stream().filter(o -> o instanceof Service).map(Service.class::cast)
                .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
        assertThat(selected).extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder(FULLNAME + "-webhook-metrics", FULLNAME + "-operator-metrics");
        assertThat(selected).allSatisfy(s -> assertThat(s.getSpec().getPorts())
                .anySatisfy(p -> assertThat(p.getName()).isEqualTo("metrics")));
        assertThat((Object) monitor.get("spec", "endpoints", 0, "port")).isEqualTo("metrics");
    }

    @Test
    @DisplayName("helm assumes the control plane's Kubernetes version without --kube-version, and the chart's "
            + "kubeVersion constraint refuses older clusters")
    void helmAssumesTheControlPlanesVersion() throws IOException {
        Path probe = work.resolve("capabilities-chart");
        Files.createDirectories(probe.resolve("templates"));
        Files.writeString(probe.resolve("Chart.yaml"), "apiVersion: v2\nname: capabilities\nversion: 0.1.0\n");
        Files.writeString(probe.resolve("templates/kube.yaml"),
                "# kube {{ .Capabilities.KubeVersion.Major }}.{{ .Capabilities.KubeVersion.Minor }}\n");
        String[] version = KUBE_VERSION.split("\\.");
        assertThat(helmOk("template", "probe", probe.toString()))
                .contains("# kube " + version[0] + "." + version[1] + "\n");

        Command.Result old = helm("template", RELEASE, chart.toString(), "--kube-version", "1.29.0");
        assertThat(old.exitCode()).as(old.output()).isNotZero();
        assertThat(old.output()).contains("chart requires kubeVersion: >=1.30.0-0 which is incompatible with "
                + "Kubernetes v1.29.0");
    }

    @Test
    @DisplayName("dashboards.enabled=true ships dashboards/twofold.json unchanged in a ConfigMap labelled for "
            + "Grafana's sidecar, which the API server accepts; it is off by default")
    void dashboardConfigMap() throws IOException {
        assertThat(objects(template(RELEASE, NAMESPACE))).noneMatch(o -> o.getMetadata().getName().endsWith(
                "-dashboards"));
        String yaml = template(RELEASE, NAMESPACE, "--set", "dashboards.enabled=true", "--set",
                "dashboards.annotations.grafana_folder=Security", "--show-only", "templates/dashboards.yaml");
        io.fabric8.kubernetes.api.model.ConfigMap map = named(objects(yaml),
                io.fabric8.kubernetes.api.model.ConfigMap.class, FULLNAME + "-dashboards");
        assertThat(map.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(map.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Security");
        assertThat(map.getData()).containsOnlyKeys("twofold.json");
        assertThat(map.getData().get("twofold.json")).isEqualTo(Files.readString(chart.resolve(
                "dashboards/twofold.json")));

        Path file = work.resolve("dashboards.yaml");
        Files.writeString(file, yaml);
        Command.Result dryRunDashboards = kubectl.run("apply", "--server-side", "--dry-run=server",
                "--field-manager=chart-it", "-n", NAMESPACE, "-f", file.toString());
        assertThat(dryRunDashboards.exitCode()).as(dryRunDashboards.output()).isZero();
    }

    /**
     * The PrometheusRule is only rendered and linted: its CRD belongs to the Prometheus Operator, which this API server
     * does not run, and a stand-in CRD accepting any fields would prove nothing the parsing below does not.
     */
    @Test
    @DisplayName("prometheusRule.enabled=true renders alerts that query only documented metrics of this release's "
            + "namespace, each with a severity and a runbook section at the configured URL; it is off by default")
    void prometheusRule() throws IOException {
        assertThat(objects(template(RELEASE, NAMESPACE))).noneMatch(o -> "PrometheusRule".equals(o.getKind()));
        String base = "https://git.example.com/twofold/blob/main/docs/runbooks.md";
        GenericKubernetesResource rule = objects(template(RELEASE, NAMESPACE, "--set", "prometheusRule.enabled=true",
                "--set", "prometheusRule.runbookUrl=" + base, "--set-json", "prometheusRule.webhookLatencyP99Seconds=0.5"))
                .stream().filter(o -> "PrometheusRule".equals(o.getKind())).map(GenericKubernetesResource.class::cast)
                .findFirst().orElseThrow();
        assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        dev.twofold.e2e.observability.MetricCatalog catalog = dev.twofold.e2e.observability.MetricCatalog.readme(
                TestCluster.projectRoot());
        String runbooks = Files.readString(TestCluster.projectRoot().resolve("docs/runbooks.md"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> groups = (List<Map<String, Object>>) rule.get("spec", "groups");
        Map<String, String> alerts = new TreeMap<>();
        for (Map<String, Object> group : groups) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rules = (List<Map<String, Object>>) group.get("rules");
            for (Map<String, Object> r : rules) {
                String alert = (String) r.get("alert");
                String expr = (String) r.get("expr");
                alerts.put(alert, expr);
                assertThat(catalog.problems(alert, expr)).isEmpty();
                assertThat(expr).as(alert).contains("namespace=\"" + NAMESPACE + "\"");
                @SuppressWarnings("unchecked")
                Map<String, String> labels = (Map<String, String>) r.get("labels");
                assertThat(labels.get("severity")).as(alert).isIn("critical", "warning");
                @SuppressWarnings("unchecked")
                Map<String, String> annotations = (Map<String, String>) r.get("annotations");
                assertThat(annotations.get("runbook_url")).as(alert).isEqualTo(base + "#" + alert.toLowerCase());
                assertThat(runbooks).as(alert).contains("\n## " + alert + "\n");
                assertThat(annotations.get("summary")).as(alert).isNotBlank();
            }
        }
        assertThat(alerts).containsKeys("TwofoldWebhookDown", "TwofoldWebhookSlow", "TwofoldDenialSpike",
                "TwofoldWebhookCertificateExpiring", "TwofoldWebhookCaExpiring", "TwofoldWorkloadCaExpiring",
                "TwofoldWorkloadIssuanceFailing", "TwofoldAttestationFailureSpike", "TwofoldOperatorDown",
                "TwofoldOperatorNotLeading");
        assertThat(alerts.get("TwofoldWebhookSlow")).endsWith("> 0.5");
    }

    @ParameterizedTest(name = "{0} is refused at render time")
    @MethodSource("refusedValues")
    void refusedValues(String sentence, String set, String message) {
        Command.Result result = helm("template", RELEASE, chart.toString(), "-n", NAMESPACE, "--set", set);
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains(message);
    }

    static Stream<Arguments> refusedValues() {
        return Stream.of(
                Arguments.of("a preStop sleep that leaves the webhook no time to drain",
                        "webhook.preStopSleepSeconds=30",
                        "webhook.terminationGracePeriodSeconds must exceed webhook.preStopSleepSeconds + 5"),
                Arguments.of("two operator replicas without leader election",
                        "operator.leaderElection=false",
                        "operator.leaderElection must be true when operator.replicas > 1"),
                Arguments.of("an unknown topology spread policy (values.schema.json)",
                        "webhook.topologySpread.nodes=Sometimes",
                        "value must be one of 'DoNotSchedule', 'ScheduleAnyway', ''"),
                Arguments.of("a misspelt value name (values.schema.json)", "webhook.replica=2",
                        "additional properties 'replica' not allowed"),
                Arguments.of("a duration the operator could not parse (values.schema.json)",
                        "operator.servingCertificate.lifetime=30days", "'30days' does not match pattern"));
    }

    @Test
    @DisplayName("every value in values.yaml is documented by a comment on it or on a map that holds it")
    void everyValueIsDocumented() throws IOException {
        List<String> undocumented = new ArrayList<>();
        Deque<Map.Entry<Integer, Boolean>> parents = new ArrayDeque<>(); // indent -> documented
        Deque<String> path = new ArrayDeque<>();
        String previous = "";
        for (String line : Files.readAllLines(chart.resolve("values.yaml"))) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("- ")) {
                previous = trimmed.isEmpty() ? "" : line;
                continue;
            }
            int indent = line.indexOf(trimmed);
            while (!parents.isEmpty() && parents.peek().getKey() >= indent) {
                parents.pop();
                path.pop();
            }
            String key = trimmed.substring(0, trimmed.indexOf(':'));
            boolean commented = previous.strip().startsWith("#") && previous.indexOf('#') == indent;
            boolean documented = commented || (!parents.isEmpty() && parents.peek().getValue());
            path.push(key);
            String value = trimmed.substring(trimmed.indexOf(':') + 1).strip();
            if (!value.isEmpty() && !documented) {
                List<String> keys = new ArrayList<>(path);
                Collections.reverse(keys);
                undocumented.add(String.join(".", keys));
            }
            parents.push(Map.entry(indent, documented));
            if (!value.isEmpty()) {
                parents.pop();
                path.pop();
            }
            previous = line;
        }
        assertThat(undocumented).as("values without a comment").isEmpty();
    }

    // ---- the API server accepts the manifests ---------------------------------------------------------------------

    @Test
    @DisplayName("`helm show crds` applies every CRD of the chart (each file starts a YAML document of its own)")
    void everyCrdOfTheChartIsApplied() throws IOException {
        assertOk(crdsApplied);
        List<String> names;
        try (Stream<Path> files = Files.list(chart.resolve("crds"))) {
            names = files.map(f -> f.getFileName().toString().replaceFirst("\\.yaml$", "")).sorted().toList();
        }
        assertThat(names).contains("mfapolicies.twofold.dev");
        for (String name : names) {
            assertThat(crdsApplied.output()).contains("customresourcedefinition.apiextensions.k8s.io/" + name + " ");
            assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(name).get()).as(name).isNotNull();
        }
    }

    @Test
    @DisplayName("the rendered manifests pass a server-side dry run, then a real server-side apply, with no warning "
            + "(the namespace warns about anything the restricted Pod Security Standard forbids)")
    void apiServerAcceptsTheManifests() {
        assertOk(dryRun);
        assertThat(dryRun.output()).contains("(server dry run)").doesNotContain("Warning:");
        assertOk(applied);
        assertThat(applied.output()).doesNotContain("Warning:");
        assertThat(admin.apps().deployments().inNamespace(NAMESPACE).list().getItems())
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder(FULLNAME + "-operator", FULLNAME + "-webhook");
        assertThat(admin.rbac().clusterRoles().withName(FULLNAME + "-operator").get()).isNotNull();
        assertThat(admin.rbac().roles().inNamespace("default").withName(FULLNAME + "-operator-events").get())
                .isNotNull();
        assertThat(admin.admissionRegistration().v1().validatingWebhookConfigurations().withName(CONFIGURATION).get())
                .as("the chart never creates the operator's webhook configuration").isNull();
    }

    @Test
    @DisplayName("the Pod Security warning check is live: a privilege-escalating container is reported")
    void podSecurityWarningsWouldShow() throws IOException {
        Path bad = work.resolve("rendered-escalating.yaml");
        Files.writeString(bad, template(RELEASE, NAMESPACE, "--set", "containerSecurityContext.allowPrivilegeEscalation=true"));
        Command.Result result = kubectl.run("apply", "--server-side", "--dry-run=server", "--field-manager=chart-it",
                "-f", bad.toString());
        assertOk(result);
        assertThat(result.output()).contains("Warning:").contains("allowPrivilegeEscalation");
    }

    @Test
    @DisplayName("helm itself installs a second release, with workload identity, next to the first")
    void secondReleaseNextToTheFirst() {
        assertOk(secondInstall);
        assertThat(secondInstall.output()).contains("STATUS: deployed");
        assertThat(admin.rbac().clusterRoles().withName(SECOND_FULLNAME + "-webhook").get()).isNotNull();
        assertThat(admin.rbac().clusterRoles().withName(SECOND_FULLNAME + "-operator-workload").get()).isNotNull();
        assertThat(admin.rbac().roles().inNamespace(PKI_NAMESPACE).withName(SECOND_FULLNAME + "-operator-workload-root-ca")
                .get()).isNotNull();
        assertThat(admin.rbac().clusterRoles().withName(FULLNAME + "-webhook").get()).isNotNull();
        assertThat(admin.rbac().clusterRoles().withName(FULLNAME + "-operator-workload").get())
                .as("workload identity is off in the first release").isNull();
    }

    @Test
    @Order(Integer.MAX_VALUE)
    @DisplayName("helm uninstall removes the second release, including its objects outside its namespace, without "
            + "touching the first (runs last)")
    void uninstallSecondRelease() {
        assertOk(helm("uninstall", SECOND_RELEASE, "-n", SECOND_NAMESPACE, "--kubeconfig", adminKubeconfig.toString()));
        secondInstalled = false;
        assertThat(admin.rbac().clusterRoles().withName(SECOND_FULLNAME + "-webhook").get()).isNull();
        assertThat(admin.rbac().clusterRoleBindings().withName(SECOND_FULLNAME + "-operator").get()).isNull();
        assertThat(admin.rbac().roles().inNamespace("default").withName(SECOND_FULLNAME + "-operator-events").get())
                .isNull();
        assertThat(admin.rbac().roles().inNamespace(PKI_NAMESPACE).withName(SECOND_FULLNAME + "-operator-workload-root-ca")
                .get()).isNull();
        assertThat(admin.rbac().clusterRoles().withName(FULLNAME + "-webhook").get()).isNotNull();
        assertThat(admin.rbac().roles().inNamespace("default").withName(FULLNAME + "-operator-events").get())
                .isNotNull();
    }

    // ---- least privilege ------------------------------------------------------------------------------------------

    @Test
    @DisplayName("no rule grants a wildcard, impersonate, escalate or bind, and no ClusterRole names Secrets")
    void noDangerousRule() {
        List<HasMetadata> objects = new ArrayList<>(objects(template(RELEASE, NAMESPACE)));
        objects.addAll(objects(template(SECOND_RELEASE, SECOND_NAMESPACE, WORKLOAD_VALUES)));
        List<PolicyRule> rules = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o instanceof ClusterRole role) {
                rules.addAll(role.getRules());
                assertThat(role.getRules()).as(role.getMetadata().getName())
                        .noneMatch(r -> r.getResources().contains("secrets"));
            } else if (o instanceof Role role) {
                rules.addAll(role.getRules());
            }
        }
        assertThat(rules).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.getVerbs()).doesNotContain("*", "impersonate", "escalate", "bind");
            assertThat(rule.getApiGroups()).doesNotContain("*");
            assertThat(rule.getResources()).noneMatch(r -> r.contains("*"));
            assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
        });
    }

    /** One question to the authorizer: may this ServiceAccount do this? */
    record Access(String sentence, String user, ResourceAttributes attributes, boolean allowed) {
        @Override
        public String toString() {
            return sentence;
        }
    }

    static ResourceAttributesBuilder ask(String verb, String group, String resource) {
        return new ResourceAttributesBuilder().withVerb(verb).withGroup(group).withResource(resource);
    }

    static Access operatorMay(String what, ResourceAttributesBuilder ask) {
        return new Access("the operator may " + what, OPERATOR_SA, ask.build(), true);
    }

    static Access operatorMayNot(String what, ResourceAttributesBuilder ask) {
        return new Access("the operator may not " + what, OPERATOR_SA, ask.build(), false);
    }

    static Access webhookMay(String what, ResourceAttributesBuilder ask) {
        return new Access("the webhook may " + what, WEBHOOK_SA, ask.build(), true);
    }

    static Access webhookMayNot(String what, ResourceAttributesBuilder ask) {
        return new Access("the webhook may not " + what, WEBHOOK_SA, ask.build(), false);
    }

    static Stream<Access> operatorAccess() {
        return Stream.of(
                operatorMay("list MfaPolicies", ask("list", TWOFOLD, "mfapolicies")),
                operatorMay("watch MfaPolicies", ask("watch", TWOFOLD, "mfapolicies")),
                operatorMay("patch an MfaPolicy's status", ask("patch", TWOFOLD, "mfapolicies").withSubresource("status")
                        .withName("any")),
                operatorMay("watch TrustDomains", ask("watch", TWOFOLD, "trustdomains")),
                operatorMay("patch a TrustDomain's status", ask("patch", TWOFOLD, "trustdomains")
                        .withSubresource("status").withName("any")),
                operatorMay("watch WorkloadCertificatePolicies in any namespace",
                        ask("watch", TWOFOLD, "workloadcertificatepolicies")),
                operatorMay("patch a WorkloadCertificatePolicy's status", ask("patch", TWOFOLD,
                        "workloadcertificatepolicies").withSubresource("status").withNamespace("demo").withName("any")),
                operatorMay("watch OidcIssuers", ask("watch", TWOFOLD, "oidcissuers")),
                operatorMay("get its own Namespace", ask("get", "", "namespaces").withName(NAMESPACE)),
                operatorMay("watch Namespaces (its controller selects its own by label)", ask("watch", "", "namespaces")),
                operatorMay("create the ValidatingWebhookConfiguration", ask("create", "admissionregistration.k8s.io",
                        "validatingwebhookconfigurations")),
                operatorMay("watch its ValidatingWebhookConfiguration by name", ask("watch",
                        "admissionregistration.k8s.io", "validatingwebhookconfigurations").withName(CONFIGURATION)),
                operatorMay("update its ValidatingWebhookConfiguration", ask("update", "admissionregistration.k8s.io",
                        "validatingwebhookconfigurations").withName(CONFIGURATION)),
                operatorMay("create Secrets in its namespace", ask("create", "", "secrets").withNamespace(NAMESPACE)),
                operatorMay("watch the CA Secret by name", ask("watch", "", "secrets").withNamespace(NAMESPACE)
                        .withName("twofold-webhook-ca")),
                operatorMay("update the CA Secret", ask("update", "", "secrets").withNamespace(NAMESPACE)
                        .withName("twofold-webhook-ca")),
                operatorMay("list the TLS Secret by name", ask("list", "", "secrets").withNamespace(NAMESPACE)
                        .withName("twofold-webhook-tls")),
                operatorMay("update the TLS Secret", ask("update", "", "secrets").withNamespace(NAMESPACE)
                        .withName("twofold-webhook-tls")),
                operatorMay("create its Lease", ask("create", "coordination.k8s.io", "leases").withNamespace(NAMESPACE)),
                operatorMay("get its Lease", ask("get", "coordination.k8s.io", "leases").withNamespace(NAMESPACE)
                        .withName("twofold-operator")),
                operatorMay("patch its Lease", ask("patch", "coordination.k8s.io", "leases").withNamespace(NAMESPACE)
                        .withName("twofold-operator")),
                operatorMay("create Events in its namespace", ask("create", "", "events").withNamespace(NAMESPACE)),
                operatorMay("create Events about cluster-scoped objects in default", ask("create", "", "events")
                        .withNamespace("default")),

                operatorMayNot("get Secrets in another namespace", ask("get", "", "secrets").withNamespace("default")
                        .withName("twofold-webhook-ca")),
                operatorMayNot("list Secrets in kube-system", ask("list", "", "secrets").withNamespace("kube-system")),
                operatorMayNot("list every Secret of its namespace", ask("list", "", "secrets").withNamespace(NAMESPACE)),
                operatorMayNot("get a Secret of its namespace it does not own", ask("get", "", "secrets")
                        .withNamespace(NAMESPACE).withName("someone-elses")),
                operatorMayNot("delete its CA Secret", ask("delete", "", "secrets").withNamespace(NAMESPACE)
                        .withName("twofold-webhook-ca")),
                operatorMayNot("update another release's ValidatingWebhookConfiguration", ask("update",
                        "admissionregistration.k8s.io", "validatingwebhookconfigurations").withName("twofold-mfa")),
                operatorMayNot("delete its ValidatingWebhookConfiguration", ask("delete", "admissionregistration.k8s.io",
                        "validatingwebhookconfigurations").withName(CONFIGURATION)),
                operatorMayNot("create a MutatingWebhookConfiguration", ask("create", "admissionregistration.k8s.io",
                        "mutatingwebhookconfigurations")),
                operatorMayNot("update an MfaPolicy's spec", ask("update", TWOFOLD, "mfapolicies").withName("any")),
                operatorMayNot("update another Lease", ask("update", "coordination.k8s.io", "leases")
                        .withNamespace(NAMESPACE).withName("someone-elses")),
                operatorMayNot("create Events in kube-system", ask("create", "", "events").withNamespace("kube-system")),
                operatorMayNot("do anything to anything", ask("*", "*", "*")),
                operatorMayNot("do anything in its namespace", ask("*", "*", "*").withNamespace(NAMESPACE)),
                operatorMayNot("impersonate users", ask("impersonate", "", "users")),
                operatorMayNot("impersonate groups", ask("impersonate", "", "groups")),
                operatorMayNot("impersonate ServiceAccounts", ask("impersonate", "", "serviceaccounts")
                        .withNamespace(NAMESPACE)),
                operatorMayNot("impersonate the twofold.dev/amr user extra", ask("impersonate", "authentication.k8s.io",
                        "userextras").withSubresource("twofold.dev/amr")),
                operatorMayNot("escalate ClusterRoles", ask("escalate", "rbac.authorization.k8s.io", "clusterroles")),
                operatorMayNot("bind ClusterRoles", ask("bind", "rbac.authorization.k8s.io", "clusterroles")),
                operatorMayNot("escalate Roles in its namespace", ask("escalate", "rbac.authorization.k8s.io", "roles")
                        .withNamespace(NAMESPACE)),
                operatorMayNot("bind Roles in its namespace", ask("bind", "rbac.authorization.k8s.io", "roles")
                        .withNamespace(NAMESPACE)),
                operatorMayNot("create pods/exec", ask("create", "", "pods").withSubresource("exec")
                        .withNamespace(NAMESPACE)),
                operatorMayNot("list Pods while workload identity is off", ask("list", "", "pods")),
                operatorMayNot("sign for twofold.dev/workload while workload identity is off", ask("sign",
                        "certificates.k8s.io", "signers").withName("twofold.dev/workload")),
                operatorMayNot("update trust bundle ConfigMaps while workload identity is off", ask("update", "",
                        "configmaps").withNamespace("demo").withName("twofold-trust-bundle")));
    }

    static Access workloadMay(String what, ResourceAttributesBuilder ask) {
        return new Access("with workload identity, the operator may " + what, WORKLOAD_OPERATOR_SA, ask.build(), true);
    }

    static Access workloadMayNot(String what, ResourceAttributesBuilder ask) {
        return new Access("with workload identity, the operator may not " + what, WORKLOAD_OPERATOR_SA, ask.build(),
                false);
    }

    static Stream<Access> workloadOperatorAccess() {
        String certificates = "certificates.k8s.io";
        return Stream.of(
                workloadMay("watch Pods in every namespace", ask("watch", "", "pods")),
                workloadMay("get a Pod", ask("get", "", "pods").withNamespace("demo").withName("web")),
                workloadMay("watch Nodes", ask("watch", "", "nodes")),
                workloadMay("watch PodCertificateRequests", ask("watch", certificates, "podcertificaterequests")),
                workloadMay("update a PodCertificateRequest's status", ask("update", certificates,
                        "podcertificaterequests").withSubresource("status").withNamespace("demo").withName("any")),
                workloadMay("watch CertificateSigningRequests", ask("watch", certificates,
                        "certificatesigningrequests")),
                workloadMay("update a CertificateSigningRequest's status", ask("update", certificates,
                        "certificatesigningrequests").withSubresource("status").withName("any")),
                workloadMay("approve a CertificateSigningRequest", ask("update", certificates,
                        "certificatesigningrequests").withSubresource("approval").withName("any")),
                workloadMay("sign for twofold.dev/workload", ask("sign", certificates, "signers")
                        .withName("twofold.dev/workload")),
                workloadMay("approve for twofold.dev/workload", ask("approve", certificates, "signers")
                        .withName("twofold.dev/workload")),
                workloadMay("create ConfigMaps in any namespace", ask("create", "", "configmaps").withNamespace("demo")),
                workloadMay("update a trust bundle ConfigMap", ask("update", "", "configmaps").withNamespace("demo")
                        .withName("twofold-trust-bundle")),
                workloadMay("delete a trust bundle ConfigMap", ask("delete", "", "configmaps").withNamespace("demo")
                        .withName("twofold-trust-bundle")),
                workloadMay("get a TrustDomain's CA Secret in its namespace", ask("get", "", "secrets")
                        .withNamespace(SECOND_NAMESPACE).withName("twofold-td-prod-ca")),
                workloadMay("update a TrustDomain's CA Secret", ask("update", "", "secrets")
                        .withNamespace(SECOND_NAMESPACE).withName("twofold-td-prod-ca")),
                workloadMay("get the named root CA Secret", ask("get", "", "secrets").withNamespace(PKI_NAMESPACE)
                        .withName("root-ca")),
                workloadMay("create Events in any namespace", ask("create", "", "events").withNamespace("demo")),

                workloadMayNot("sign for kubernetes.io/kube-apiserver-client", ask("sign", certificates, "signers")
                        .withName("kubernetes.io/kube-apiserver-client")),
                workloadMayNot("approve for kubernetes.io/kube-apiserver-client", ask("approve", certificates,
                        "signers").withName("kubernetes.io/kube-apiserver-client")),
                workloadMayNot("update other ConfigMaps", ask("update", "", "configmaps").withNamespace("kube-system")
                        .withName("kube-root-ca.crt")),
                workloadMayNot("get another Secret of the root CA's namespace", ask("get", "", "secrets")
                        .withNamespace(PKI_NAMESPACE).withName("someone-elses")),
                workloadMayNot("list the root CA's namespace's Secrets", ask("list", "", "secrets")
                        .withNamespace(PKI_NAMESPACE)),
                workloadMayNot("get Secrets in another namespace", ask("get", "", "secrets").withNamespace("default")
                        .withName("anything")),
                workloadMayNot("create Pods", ask("create", "", "pods").withNamespace("demo")),
                workloadMayNot("delete Pods", ask("delete", "", "pods").withNamespace("demo").withName("web")),
                workloadMayNot("update a PodCertificateRequest", ask("update", certificates, "podcertificaterequests")
                        .withNamespace("demo").withName("any")),
                workloadMayNot("do anything to anything", ask("*", "*", "*")),
                workloadMayNot("impersonate users", ask("impersonate", "", "users")),
                workloadMayNot("bind ClusterRoles", ask("bind", "rbac.authorization.k8s.io", "clusterroles")));
    }

    static Stream<Access> webhookAccess() {
        return Stream.of(
                webhookMay("get the TLS Secret", ask("get", "", "secrets").withNamespace(NAMESPACE)
                        .withName("twofold-webhook-tls")),
                webhookMay("list the TLS Secret by name", ask("list", "", "secrets").withNamespace(NAMESPACE)
                        .withName("twofold-webhook-tls")),
                webhookMay("watch the TLS Secret by name", ask("watch", "", "secrets").withNamespace(NAMESPACE)
                        .withName("twofold-webhook-tls")),
                webhookMay("list MfaPolicies", ask("list", TWOFOLD, "mfapolicies")),
                webhookMay("watch MfaPolicies", ask("watch", TWOFOLD, "mfapolicies")),
                webhookMay("list Namespaces", ask("list", "", "namespaces")),
                webhookMay("watch Namespaces", ask("watch", "", "namespaces")),
                webhookMay("watch OidcIssuers", ask("watch", TWOFOLD, "oidcissuers")),

                webhookMayNot("get the CA Secret", ask("get", "", "secrets").withNamespace(NAMESPACE)
                        .withName("twofold-webhook-ca")),
                webhookMayNot("watch the CA Secret by name", ask("watch", "", "secrets").withNamespace(NAMESPACE)
                        .withName("twofold-webhook-ca")),
                webhookMayNot("list every Secret of its namespace", ask("list", "", "secrets").withNamespace(NAMESPACE)),
                webhookMayNot("get Secrets in another namespace", ask("get", "", "secrets").withNamespace("default")
                        .withName("twofold-webhook-tls")),
                webhookMayNot("update the TLS Secret", ask("update", "", "secrets").withNamespace(NAMESPACE)
                        .withName("twofold-webhook-tls")),
                webhookMayNot("create Secrets", ask("create", "", "secrets").withNamespace(NAMESPACE)),
                webhookMayNot("update an MfaPolicy", ask("update", TWOFOLD, "mfapolicies").withName("any")),
                webhookMayNot("patch an MfaPolicy's status", ask("patch", TWOFOLD, "mfapolicies")
                        .withSubresource("status").withName("any")),
                webhookMayNot("update ValidatingWebhookConfigurations", ask("update", "admissionregistration.k8s.io",
                        "validatingwebhookconfigurations").withName(CONFIGURATION)),
                webhookMayNot("create TokenReviews (it verifies tokens itself)", ask("create", "authentication.k8s.io",
                        "tokenreviews")),
                webhookMayNot("create SubjectAccessReviews", ask("create", "authorization.k8s.io",
                        "subjectaccessreviews")),
                webhookMayNot("create Leases", ask("create", "coordination.k8s.io", "leases").withNamespace(NAMESPACE)),
                webhookMayNot("do anything to anything", ask("*", "*", "*")),
                webhookMayNot("do anything in its namespace", ask("*", "*", "*").withNamespace(NAMESPACE)),
                webhookMayNot("impersonate users", ask("impersonate", "", "users")),
                webhookMayNot("impersonate groups", ask("impersonate", "", "groups")),
                webhookMayNot("impersonate ServiceAccounts", ask("impersonate", "", "serviceaccounts")
                        .withNamespace(NAMESPACE)),
                webhookMayNot("impersonate the twofold.dev/amr user extra", ask("impersonate", "authentication.k8s.io",
                        "userextras").withSubresource("twofold.dev/amr")),
                webhookMayNot("escalate ClusterRoles", ask("escalate", "rbac.authorization.k8s.io", "clusterroles")),
                webhookMayNot("bind ClusterRoles", ask("bind", "rbac.authorization.k8s.io", "clusterroles")),
                webhookMayNot("escalate Roles in its namespace", ask("escalate", "rbac.authorization.k8s.io", "roles")
                        .withNamespace(NAMESPACE)),
                webhookMayNot("bind Roles in its namespace", ask("bind", "rbac.authorization.k8s.io", "roles")
                        .withNamespace(NAMESPACE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operatorAccess")
    void operatorServiceAccount(Access access) {
        assertAccess(access);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("webhookAccess")
    void webhookServiceAccount(Access access) {
        assertAccess(access);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloadOperatorAccess")
    void workloadOperatorServiceAccount(Access access) {
        assertAccess(access);
    }

    @Test
    @DisplayName("the operator passes java-operator-sdk's own leader-election check (create, update and get on "
            + "leases, unnamed or naming its Lease, in a SelfSubjectRulesReview of its namespace)")
    void operatorPassesTheLeaseAccessCheck() throws IOException {
        Config config = Config.fromKubeconfig(Files.readString(adminKubeconfig));
        config.setClientKeyAlgo("EC");
        config.getRequestConfig().setImpersonateUsername(OPERATOR_SA);
        try (KubernetesClient asOperator = new KubernetesClientBuilder().withConfig(config).build()) {
            SelfSubjectRulesReview review = asOperator.authorization().v1().selfSubjectRulesReview().create(
                    new SelfSubjectRulesReviewBuilder().withNewSpec().withNamespace(NAMESPACE).endSpec().build());
            Set<String> verbs = review.getStatus().getResourceRules().stream()
                    .filter(r -> r.getApiGroups().contains("coordination.k8s.io"))
                    .filter(r -> r.getResources().contains("leases"))
                    .filter(r -> r.getResourceNames() == null || r.getResourceNames().isEmpty()
                            || r.getResourceNames().contains("twofold-operator"))
                    .map(ResourceRule::getVerbs).flatMap(List::stream).collect(Collectors.toSet());
            assertThat(verbs).contains("create", "update", "get");
        }
    }

    @Test
    @DisplayName("kubectl auth can-i, as users would ask it, agrees: the webhook may watch its TLS Secret and not get "
            + "the CA Secret")
    void kubectlAuthCanIAgrees() {
        Command.Result tls = kubectl.run("auth", "can-i", "watch", "secret/twofold-webhook-tls", "-n", NAMESPACE,
                "--as=" + WEBHOOK_SA);
        assertThat(tls.exitCode()).as(tls.output()).isZero();
        assertThat(tls.output().strip()).isEqualTo("yes");
        Command.Result ca = kubectl.run("auth", "can-i", "get", "secret/twofold-webhook-ca", "-n", NAMESPACE,
                "--as=" + WEBHOOK_SA);
        assertThat(ca.exitCode()).as(ca.output()).isEqualTo(1);
        assertThat(ca.output().strip()).isEqualTo("no");
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    static void assertAccess(Access access) {
        String namespace = access.user().split(":")[2];
        SubjectAccessReview review = admin.authorization().v1().subjectAccessReview().create(
                new SubjectAccessReviewBuilder().withNewSpec()
                        .withUser(access.user())
                        .withGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace,
                                "system:authenticated")
                        .withResourceAttributes(access.attributes())
                        .endSpec().build());
        assertThat(review.getStatus().getAllowed())
                .as("%s (%s; reason: %s)", access.sentence(), access.attributes(), review.getStatus().getReason())
                .isEqualTo(access.allowed());
    }

    static String template(String release, String namespace, String... sets) {
        List<String> command = new ArrayList<>(List.of("template", release, chart.toString(), "-n", namespace));
        command.addAll(List.of(sets));
        return helmOk(command.toArray(String[]::new));
    }

    static Command.Result helm(String... args) {
        List<String> command = new ArrayList<>();
        command.add(helm.helm().toString());
        command.addAll(List.of(args));
        // helm's own state (repository cache, config) stays under target/, away from the user's.
        Map<String, String> env = new HashMap<>();
        env.put("HELM_CACHE_HOME", work.resolve("helm/cache").toString());
        env.put("HELM_CONFIG_HOME", work.resolve("helm/config").toString());
        env.put("HELM_DATA_HOME", work.resolve("helm/data").toString());
        return Command.run(work, env, HELM_TIMEOUT, command.toArray(String[]::new));
    }

    static String helmOk(String... args) {
        Command.Result result = helm(args);
        assertOk(result);
        return result.output();
    }

    static void assertOk(Command.Result result) {
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    static List<HasMetadata> objects(String yaml) {
        return admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    }

    /** Cluster-scoped objects and objects outside the release namespace, as kind/name or kind/namespace/name. */
    static List<String> sharedNames(List<HasMetadata> objects) {
        List<String> shared = new ArrayList<>();
        for (HasMetadata o : objects) {
            String namespace = o.getMetadata().getNamespace();
            if (namespace == null) {
                shared.add(o.getKind() + "/" + o.getMetadata().getName());
            } else if (!namespace.equals(NAMESPACE) && !namespace.equals(SECOND_NAMESPACE)) {
                shared.add(o.getKind() + "/" + namespace + "/" + o.getMetadata().getName());
            }
        }
        return shared;
    }

    static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " rendered"));
    }

    static Deployment deployment(List<HasMetadata> objects, String name) {
        return named(objects, Deployment.class, name);
    }

    static Container onlyContainer(Deployment deployment) {
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    static int port(Container container, String name) {
        return container.getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElseThrow(() -> new AssertionError("no container port " + name));
    }

    static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> name.equals(e.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name)).getValue();
    }

    static void assertProbes(Container container, String port) {
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo(port);
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo(port);
    }

}
