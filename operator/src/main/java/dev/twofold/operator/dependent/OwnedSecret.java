package dev.twofold.operator.dependent;

import dev.twofold.operator.webhookconfig.DesiredWebhookConfiguration;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One of the two webhook Secrets: {@link #desired} is the actual Secret with the keys this operator owns set to the
 * computed PEM text and its other keys, labels and annotations left alone (a user's Secret stays theirs in every
 * other respect).
 *
 * @param name the Secret's name
 * @param type the type given to a Secret the operator creates; an existing Secret keeps its type (it is immutable)
 * @param ownedKeys the data keys this operator writes or removes
 */
public record OwnedSecret(String name, String type, Set<String> ownedKeys) {

    public OwnedSecret {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        ownedKeys = Set.copyOf(ownedKeys);
    }

    /** The Secret as it should be: {@code actual} ({@code null} when absent) with {@code text} as our keys. */
    public Secret desired(Secret actual, String namespace, Map<String, String> text) {
        Map<String, String> data = new LinkedHashMap<>();
        if (actual != null && actual.getData() != null) {
            actual.getData().forEach((key, value) -> {
                if (!ownedKeys.contains(key)) {
                    data.put(key, value);
                }
            });
        }
        text.forEach((key, value) -> {
            if (!ownedKeys.contains(key)) {
                throw new IllegalArgumentException(name + " does not own key " + key);
            }
            data.put(key, SecretText.encode(value));
        });
        if (actual == null) {
            return new SecretBuilder()
                    .withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                            .withLabels(new LinkedHashMap<>(DesiredWebhookConfiguration.LABELS)).build())
                    .withType(type)
                    .withData(data)
                    .build();
        }
        return new SecretBuilder(actual).withData(data).build();
    }

    /** Whether writing {@code desired} over {@code actual} would change anything. */
    public static boolean differs(Secret actual, Secret desired) {
        return actual == null || !Objects.equals(nonNull(actual.getData()), nonNull(desired.getData()));
    }

    private static Map<String, String> nonNull(Map<String, String> data) {
        return data == null ? Map.of() : data;
    }
}
