package dev.twofold.operator.webhookconfig;

import static dev.twofold.operator.Policies.exec;
import static dev.twofold.operator.Policies.groups;
import static dev.twofold.operator.Policies.invalid;
import static dev.twofold.operator.Policies.policy;
import static dev.twofold.operator.Policies.rule;
import static dev.twofold.operator.Policies.users;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.v1alpha1.Enforcement;
import dev.twofold.api.v1alpha1.MfaPolicy;
import dev.twofold.operator.config.WebhookEndpoint;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DesiredWebhookConfigurationTest {

    private static final WebhookEndpoint URL = new WebhookEndpoint.Url(
            URI.create("https://127.0.0.1:19443/admission/mfa"));
    private static final String BUNDLE = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private static final OwnerReference OWNER = new OwnerReferenceBuilder().withApiVersion("v1")
            .withKind("Namespace").withName("twofold-system").withUid("ns-uid").build();

    private static final String NOT_A_NODE = "!('system:nodes' in request.userInfo.groups)";
    private static final String NOT_A_SERVICE_ACCOUNT = "!('system:serviceaccounts' in request.userInfo.groups)";
    private static final String NOT_CONTROL_PLANE = "!(request.userInfo.username.startsWith('system:kube-') || "
            + "request.userInfo.username == 'system:apiserver')";

    static Stream<Arguments> policySets() {
        return Stream.of(
                Arguments.of("no policies render an empty rules list", List.of(), List.of()),
                Arguments.of("one exec policy renders one rule for every operation", List.of(exec("exec")),
                        List.of("[] pods/attach,pods/exec,pods/portforward *")),
                Arguments.of("several policies render the sorted union, reads left out",
                        List.of(exec("exec"),
                                policy("secrets", rule("", "secrets", "get,list,watch,delete")),
                                policy("rbac", rule("rbac.authorization.k8s.io", "roles,rolebindings",
                                        "create,update,patch"))),
                        List.of("[] pods/attach,pods/exec,pods/portforward *", "[] secrets DELETE",
                                "[rbac.authorization.k8s.io] rolebindings,roles CREATE,UPDATE")),
                Arguments.of("a Disabled policy contributes nothing",
                        List.of(policy("off", Enforcement.DISABLED, null, rule("", "secrets", "delete"))),
                        List.of()),
                Arguments.of("an Audit policy is in force and contributes its rules",
                        List.of(policy("audit", Enforcement.AUDIT, null, rule("", "configmaps", "update"))),
                        List.of("[] configmaps UPDATE")),
                Arguments.of("an invalid policy contributes nothing, the valid ones still do",
                        List.of(invalid("broken"), policy("cm", rule("", "configmaps", "create"))),
                        List.of("[] configmaps CREATE")),
                Arguments.of("a read-only policy needs no admission rule",
                        List.of(policy("reads", rule("", "secrets", "get,list,watch"))), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policySets")
    void rules_are_the_union_of_the_policies_in_force(String name, List<MfaPolicy> policies, List<String> rules) {
        ValidatingWebhookConfiguration configuration = render(policies);

        assertThat(configuration.getWebhooks()).hasSize(1);
        assertThat(configuration.getWebhooks().getFirst().getRules()).map(this::describe)
                .containsExactlyElementsOf(rules);
    }

    @Test
    void the_webhook_fails_closed_quickly_without_side_effects_and_trusts_the_bundle() {
        ValidatingWebhook webhook = render(List.of(exec("exec"))).getWebhooks().getFirst();

        assertThat(webhook.getName()).isEqualTo("mfa.twofold.dev");
        assertThat(webhook.getFailurePolicy()).isEqualTo("Fail");
        assertThat(webhook.getTimeoutSeconds()).isLessThanOrEqualTo(5);
        assertThat(webhook.getSideEffects()).isEqualTo("None");
        assertThat(webhook.getAdmissionReviewVersions()).containsExactly("v1");
        assertThat(webhook.getClientConfig().getUrl()).isEqualTo("https://127.0.0.1:19443/admission/mfa");
        assertThat(webhook.getClientConfig().getService()).isNull();
        assertThat(new String(Base64.getDecoder().decode(webhook.getClientConfig().getCaBundle()),
                StandardCharsets.US_ASCII)).isEqualTo(BUNDLE);
        assertThat(webhook.getRules()).allSatisfy(rule -> {
            assertThat(rule.getApiVersions()).containsExactly("*");
            assertThat(rule.getScope()).isEqualTo("*");
        });
    }

    @Test
    void in_cluster_the_webhook_is_called_through_its_service_on_the_admission_path() {
        ValidatingWebhook webhook = DesiredWebhookConfiguration.render("twofold-mfa", PolicyInventory.of(List.of()), BUNDLE,
                new WebhookEndpoint.Service("twofold-system", "twofold-webhook", 443), OWNER).getWebhooks().getFirst();

        assertThat(webhook.getClientConfig().getUrl()).isNull();
        assertThat(webhook.getClientConfig().getService().getNamespace()).isEqualTo("twofold-system");
        assertThat(webhook.getClientConfig().getService().getName()).isEqualTo("twofold-webhook");
        assertThat(webhook.getClientConfig().getService().getPort()).isEqualTo(443);
        assertThat(webhook.getClientConfig().getService().getPath()).isEqualTo("/admission/mfa");
    }

    @Test
    void the_configuration_is_named_labelled_and_owned_by_the_operator_namespace() {
        ValidatingWebhookConfiguration configuration = render(List.of());

        assertThat(configuration.getMetadata().getName()).isEqualTo("twofold-mfa");
        assertThat(configuration.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "twofold-operator");
        assertThat(configuration.getMetadata().getOwnerReferences()).containsExactly(OWNER);
    }

    static Stream<Arguments> systemIdentities() {
        return Stream.of(
                Arguments.of("by default nodes, service accounts and control-plane components are skipped",
                        List.of(exec("exec")), List.of(NOT_A_NODE, NOT_A_SERVICE_ACCOUNT, NOT_CONTROL_PLANE)),
                Arguments.of("naming system:serviceaccounts sends every service account to the webhook",
                        List.of(policy("sa", Enforcement.ENFORCE, groups("system:serviceaccounts"),
                                rule("", "secrets", "delete"))),
                        List.of(NOT_A_NODE, NOT_CONTROL_PLANE)),
                Arguments.of("naming one namespace's service accounts lets only those through",
                        List.of(policy("ci", Enforcement.ENFORCE, groups("system:serviceaccounts:ci"),
                                rule("", "secrets", "delete"))),
                        List.of(NOT_A_NODE, NOT_A_SERVICE_ACCOUNT
                                        + " || request.userInfo.groups.exists(g, g in ['system:serviceaccounts:ci'])",
                                NOT_CONTROL_PLANE)),
                Arguments.of("naming a service account, a node and a component lets exactly those users through",
                        List.of(policy("named", Enforcement.ENFORCE, users("system:serviceaccount:ci:deployer,"
                                        + "system:node:node-a,system:kube-scheduler,alice"),
                                rule("", "secrets", "delete"))),
                        List.of(NOT_A_NODE + " || request.userInfo.username in ['system:node:node-a']",
                                NOT_A_SERVICE_ACCOUNT
                                        + " || request.userInfo.username in ['system:serviceaccount:ci:deployer']",
                                NOT_CONTROL_PLANE + " || request.userInfo.username in ['system:kube-scheduler']")),
                Arguments.of("naming system:nodes sends kubelets to the webhook",
                        List.of(policy("nodes", Enforcement.ENFORCE, groups("system:nodes"),
                                rule("", "pods", "create"))),
                        List.of(NOT_A_SERVICE_ACCOUNT, NOT_CONTROL_PLANE)),
                Arguments.of("a Disabled policy's names do not count",
                        List.of(policy("off", Enforcement.DISABLED, groups("system:nodes"),
                                rule("", "pods", "create"))),
                        List.of(NOT_A_NODE, NOT_A_SERVICE_ACCOUNT, NOT_CONTROL_PLANE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("systemIdentities")
    void match_conditions_skip_system_identities_unless_a_policy_names_them(String name, List<MfaPolicy> policies,
            List<String> expressions) {
        List<MatchCondition> conditions = render(policies).getWebhooks().getFirst().getMatchConditions();

        assertThat(conditions).map(MatchCondition::getExpression).containsExactlyElementsOf(expressions);
        assertThat(conditions).map(MatchCondition::getName).doesNotHaveDuplicates();
    }

    @Test
    void names_are_quoted_as_cel_string_literals() {
        assertThat(MatchConditions.literal("system:serviceaccount:o'brien:a\\b\n"))
                .isEqualTo("'system:serviceaccount:o\\'brien:a\\\\b\\u000a'");
    }

    @Test
    void the_same_policies_always_render_the_same_configuration() {
        List<MfaPolicy> policies = List.of(exec("b"), policy("a", rule("apps", "deployments", "delete")));

        assertThat(render(policies)).isEqualTo(render(policies.reversed()));
    }

    @Test
    void the_inventory_counts_policies_by_state() {
        PolicyInventory inventory = PolicyInventory.of(List.of(exec("a"), invalid("b"),
                policy("c", Enforcement.DISABLED, null, rule("", "pods", "delete"))));

        assertThat(List.of(inventory.ready(), inventory.invalid(), inventory.disabled())).containsExactly(1, 1, 1);
    }

    private static ValidatingWebhookConfiguration render(List<MfaPolicy> policies) {
        return DesiredWebhookConfiguration.render("twofold-mfa", PolicyInventory.of(policies), BUNDLE, URL, OWNER);
    }

    private String describe(RuleWithOperations rule) {
        return rule.getApiGroups().toString().replace(" ", "") + " " + String.join(",", rule.getResources()) + " "
                + String.join(",", rule.getOperations());
    }
}
