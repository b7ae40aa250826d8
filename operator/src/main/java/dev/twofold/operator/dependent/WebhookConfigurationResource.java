package dev.twofold.operator.dependent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twofold.operator.config.WebhookEndpoint;
import dev.twofold.operator.webhookconfig.DesiredWebhookConfiguration;
import dev.twofold.operator.webhookconfig.PolicyInventory;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The ValidatingWebhookConfiguration as a secondary resource: {@link #desired} renders it and carries over the actual
 * object's identity and foreign metadata, so a replace restores the whole {@code webhooks} list (hand-edited rules
 * and hand-added webhooks alike) while other tools' labels and annotations survive.
 */
public final class WebhookConfigurationResource {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final String name;
    private final WebhookEndpoint endpoint;

    public WebhookConfigurationResource(String name, WebhookEndpoint endpoint) {
        this.name = name;
        this.endpoint = endpoint;
    }

    public ValidatingWebhookConfiguration desired(ValidatingWebhookConfiguration actual, PolicyInventory policies,
            String caBundlePem, OwnerReference owner) {
        ValidatingWebhookConfiguration desired = DesiredWebhookConfiguration.render(name, policies, caBundlePem,
                endpoint, owner);
        if (actual == null) {
            return desired;
        }
        Map<String, String> labels = new LinkedHashMap<>(
                actual.getMetadata().getLabels() == null ? Map.of() : actual.getMetadata().getLabels());
        labels.putAll(desired.getMetadata().getLabels());
        desired.setMetadata(new ObjectMetaBuilder(actual.getMetadata())
                .withLabels(labels)
                .withOwnerReferences(desired.getMetadata().getOwnerReferences())
                .withManagedFields(List.of())
                .build());
        return desired;
    }

    /** Whether {@code actual} differs from {@code desired} in anything the operator owns. */
    public static boolean differs(ValidatingWebhookConfiguration actual, ValidatingWebhookConfiguration desired) {
        if (actual == null) {
            return true;
        }
        Map<String, String> labels = actual.getMetadata().getLabels() == null
                ? Map.of() : actual.getMetadata().getLabels();
        boolean labelsPresent = desired.getMetadata().getLabels().entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        return !labelsPresent
                || !Objects.equals(owners(actual), owners(desired))
                || !tree(normalized(actual.getWebhooks())).equals(tree(normalized(desired.getWebhooks())));
    }

    /** How many rules the configuration's webhooks have (0 for an absent configuration). */
    public static int ruleCount(ValidatingWebhookConfiguration configuration) {
        if (configuration == null || configuration.getWebhooks() == null) {
            return 0;
        }
        return configuration.getWebhooks().stream()
                .mapToInt(w -> w.getRules() == null ? 0 : w.getRules().size()).sum();
    }

    private static JsonNode tree(Object value) {
        return JSON.convertValue(value, JsonNode.class);
    }

    private static List<OwnerReference> owners(ValidatingWebhookConfiguration configuration) {
        List<OwnerReference> owners = configuration.getMetadata().getOwnerReferences();
        return owners == null ? List.of() : owners;
    }

    // The API server drops an empty rules list; compare as if it kept it.
    private static List<ValidatingWebhook> normalized(List<ValidatingWebhook> webhooks) {
        if (webhooks == null) {
            return List.of();
        }
        return webhooks.stream().map(w -> {
            ValidatingWebhook copy = JSON.clone(w);
            if (copy.getRules() != null && copy.getRules().isEmpty()) {
                copy.setRules(null);
            }
            if (copy.getMatchConditions() != null && copy.getMatchConditions().isEmpty()) {
                copy.setMatchConditions(null);
            }
            return copy;
        }).toList();
    }
}
