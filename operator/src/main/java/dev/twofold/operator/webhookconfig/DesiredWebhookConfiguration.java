package dev.twofold.operator.webhookconfig;

import dev.twofold.api.policy.AdmissionOperation;
import dev.twofold.api.policy.AdmissionRule;
import dev.twofold.operator.config.OperatorSettings;
import dev.twofold.operator.config.WebhookEndpoint;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ServiceReference;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ValidatingWebhookConfiguration {@value OperatorSettings#WEBHOOK_CONFIGURATION} as a pure function of the
 * policies, the CA bundle and the endpoint.
 *
 * <p>It always holds exactly one webhook, {@value OperatorSettings#WEBHOOK_NAME}. With no policy in force its
 * {@code rules} list is empty: the API server then calls nobody, while the object (and its caBundle) stays in place,
 * so the shape never depends on the policy count and a hand-added rule is visibly wrong. Rules cover
 * CONNECT/CREATE/UPDATE/DELETE only (reads never reach admission), all API versions and scopes; the webhook fails
 * closed ({@code failurePolicy: Fail}) within 5 s, and {@link MatchConditions} keep system identities out unless
 * named.
 */
public final class DesiredWebhookConfiguration {

    /** Seconds the API server waits for the webhook before failing the request closed. */
    public static final int TIMEOUT_SECONDS = 5;
    public static final Map<String, String> LABELS = Map.of(
            "app.kubernetes.io/managed-by", OperatorSettings.FIELD_MANAGER,
            "app.kubernetes.io/part-of", "twofold");

    private DesiredWebhookConfiguration() {
    }

    /**
     * @param name the object's name, normally {@value OperatorSettings#WEBHOOK_CONFIGURATION}
     * @param caBundlePem the CAs the API server trusts for the webhook, PEM; {@code null} when unknown (the API
     *     server then uses its system roots, which will not verify Twofold's certificate: calls fail closed)
     * @param owner the owner reference to set ({@code null} for none): when the operator's namespace goes, the
     *     configuration goes with it instead of failing requests closed against a webhook that no longer exists
     */
    public static ValidatingWebhookConfiguration render(String name, PolicyInventory policies, String caBundlePem,
            WebhookEndpoint endpoint, OwnerReference owner) {
        ValidatingWebhook webhook = new ValidatingWebhook();
        webhook.setName(OperatorSettings.WEBHOOK_NAME);
        webhook.setAdmissionReviewVersions(List.of("v1"));
        webhook.setSideEffects("None");
        webhook.setFailurePolicy("Fail");
        webhook.setMatchPolicy("Equivalent");
        webhook.setTimeoutSeconds(TIMEOUT_SECONDS);
        webhook.setNamespaceSelector(new LabelSelector());
        webhook.setObjectSelector(new LabelSelector());
        webhook.setClientConfig(clientConfig(endpoint, caBundlePem));
        webhook.setRules(rules(policies.rules()));
        webhook.setMatchConditions(MatchConditions.render(policies.namedUsers(), policies.namedGroups()));

        ValidatingWebhookConfigurationBuilder builder = new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(new LinkedHashMap<>(LABELS))
                .endMetadata()
                .withWebhooks(webhook);
        ValidatingWebhookConfiguration configuration = builder.build();
        if (owner != null) {
            configuration.getMetadata().setOwnerReferences(List.of(owner));
        }
        return configuration;
    }

    static List<RuleWithOperations> rules(List<AdmissionRule> rules) {
        List<RuleWithOperations> out = new ArrayList<>();
        for (AdmissionRule rule : rules) {
            RuleWithOperations rendered = new RuleWithOperations();
            rendered.setApiGroups(rule.apiGroups());
            rendered.setApiVersions(List.of("*"));
            rendered.setResources(rule.resources());
            rendered.setOperations(rule.allOperations()
                    ? List.of("*") : rule.operations().stream().map(AdmissionOperation::name).toList());
            rendered.setScope("*");
            out.add(rendered);
        }
        return out;
    }

    private static WebhookClientConfig clientConfig(WebhookEndpoint endpoint, String caBundlePem) {
        WebhookClientConfig config = new WebhookClientConfig();
        switch (endpoint) {
            case WebhookEndpoint.Url url -> config.setUrl(url.url().toString());
            case WebhookEndpoint.Service service -> {
                ServiceReference reference = new ServiceReference();
                reference.setNamespace(service.namespace());
                reference.setName(service.name());
                reference.setPort(service.port());
                reference.setPath(WebhookEndpoint.ADMISSION_PATH);
                config.setService(reference);
            }
        }
        if (caBundlePem != null) {
            config.setCaBundle(Base64.getEncoder().encodeToString(caBundlePem.getBytes(StandardCharsets.US_ASCII)));
        }
        return config;
    }
}
