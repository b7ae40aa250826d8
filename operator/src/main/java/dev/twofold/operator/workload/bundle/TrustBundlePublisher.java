package dev.twofold.operator.workload.bundle;

import dev.twofold.api.v1alpha1.TrustBundleTargets;
import dev.twofold.api.v1alpha1.TrustDomain;
import dev.twofold.api.workload.LabelSelectorMatcher;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Publishes a trust domain's bundle (PEM of every CA certificate peers must trust) as a ConfigMap
 * {@code spec.bundle.configMapName} with key {@value #KEY} in every namespace the bundle's namespace selector
 * matches, and removes the ones it published earlier where they are no longer wanted (namespace deselected, name
 * changed). ConfigMaps are labelled with the trust domain and owned by it, so deleting the TrustDomain garbage-collects
 * them. Writes only what differs.
 */
public final class TrustBundlePublisher {

    public static final String KEY = "ca.crt";
    /** Marks ConfigMaps published for a trust domain (value: the TrustDomain object's name). */
    public static final String TRUST_DOMAIN_LABEL = "twofold.dev/trust-domain";

    private final KubernetesClient client;

    public TrustBundlePublisher(KubernetesClient client) {
        this.client = client;
    }

    /** What changed in one pass. */
    public record Published(int namespaces, int written, int removed) {
    }

    /**
     * Makes the ConfigMaps match {@code pem} for the namespaces in {@code namespaces} that the trust domain selects.
     *
     * @throws IllegalArgumentException when the namespace selector cannot be evaluated (a user error)
     */
    public Published publish(TrustDomain trustDomain, String pem, Collection<Namespace> namespaces) {
        TrustBundleTargets targets = trustDomain.getSpec().bundle();
        LabelSelectorMatcher selector = LabelSelectorMatcher.compile(targets.namespaceSelector());
        String owner = trustDomain.getMetadata().getName();
        Set<String> wanted = new TreeSet<>();
        for (Namespace namespace : namespaces) {
            Map<String, String> labels = namespace.getMetadata().getLabels() == null
                    ? Map.of() : namespace.getMetadata().getLabels();
            boolean terminating = namespace.getMetadata().getDeletionTimestamp() != null
                    || "Terminating".equals(namespace.getStatus() == null ? null : namespace.getStatus().getPhase());
            if (!terminating && selector.matches(labels)) {
                wanted.add(namespace.getMetadata().getName());
            }
        }
        Map<String, ConfigMap> existing = new HashMap<>();
        int removed = 0;
        for (ConfigMap map : client.configMaps().inAnyNamespace().withLabel(TRUST_DOMAIN_LABEL, owner).list()
                .getItems()) {
            String namespace = map.getMetadata().getNamespace();
            if (wanted.contains(namespace) && targets.configMapName().equals(map.getMetadata().getName())) {
                existing.put(namespace, map);
            } else {
                client.configMaps().inNamespace(namespace).withName(map.getMetadata().getName()).delete();
                removed++;
            }
        }
        int written = 0;
        for (String namespace : wanted) {
            ConfigMap actual = existing.get(namespace);
            if (actual != null && actual.getData() != null && Objects.equals(pem, actual.getData().get(KEY))) {
                continue;
            }
            ConfigMap desired = new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName(targets.configMapName())
                    .withNamespace(namespace)
                    .addToLabels(TRUST_DOMAIN_LABEL, owner)
                    .addToLabels("app.kubernetes.io/managed-by", "twofold")
                    .withOwnerReferences(new OwnerReferenceBuilder()
                            .withApiVersion(trustDomain.getApiVersion())
                            .withKind(trustDomain.getKind())
                            .withName(owner)
                            .withUid(trustDomain.getMetadata().getUid())
                            .build())
                    .endMetadata()
                    .addToData(KEY, pem)
                    .build();
            if (actual == null) {
                // A ConfigMap of that name that we did not publish is left alone (create fails with 409, retried).
                client.configMaps().inNamespace(namespace).resource(desired).create();
            } else {
                desired.getMetadata().setResourceVersion(actual.getMetadata().getResourceVersion());
                client.configMaps().inNamespace(namespace).resource(desired).update();
            }
            written++;
        }
        return new Published(wanted.size(), written, removed);
    }
}
