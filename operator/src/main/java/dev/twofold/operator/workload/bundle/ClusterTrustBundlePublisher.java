package dev.twofold.operator.workload.bundle;

import dev.twofold.api.v1alpha1.TrustDomain;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.Objects;

/**
 * Publishes a trust domain's bundle as a signer-linked ClusterTrustBundle ({@code certificates.k8s.io/v1beta1}) named
 * {@code twofold.dev:workload:<trust domain object>} when {@code spec.bundle.clusterTrustBundle} is set, so pods can
 * project it by signer name; removes it when unset. Skipped when the API server does not serve ClusterTrustBundles
 * (feature gate {@code ClusterTrustBundle} and runtime config {@code certificates.k8s.io/v1beta1}). Creating a
 * signer-linked bundle needs {@code attest} on {@code signers} {@code twofold.dev/workload}.
 */
public final class ClusterTrustBundlePublisher {

    public static final String SIGNER_NAME = "twofold.dev/workload";
    static final ResourceDefinitionContext CTB = new ResourceDefinitionContext.Builder()
            .withGroup("certificates.k8s.io").withVersion("v1beta1").withKind("ClusterTrustBundle")
            .withPlural("clustertrustbundles").withNamespaced(false).build();

    /** What a pass did. */
    public enum Outcome { PUBLISHED, UNCHANGED, REMOVED, NOT_WANTED, NOT_SERVED }

    private final KubernetesClient client;
    /** Discovery is asked until the API serves the kind (a cluster upgrade may enable it later). */
    private volatile boolean served;

    public ClusterTrustBundlePublisher(KubernetesClient client) {
        this.client = client;
    }

    /** The ClusterTrustBundle name for TrustDomain {@code name} (signer-linked names start with the signer's). */
    public static String name(String trustDomainObject) {
        return SIGNER_NAME.replace('/', ':') + ":" + trustDomainObject;
    }

    public Outcome publish(TrustDomain trustDomain, String pem) {
        boolean wanted = trustDomain.getSpec().bundle().clusterTrustBundle();
        if (!served()) {
            return wanted ? Outcome.NOT_SERVED : Outcome.NOT_WANTED;
        }
        String name = name(trustDomain.getMetadata().getName());
        GenericKubernetesResource actual = client.genericKubernetesResources(CTB).withName(name).get();
        if (!wanted) {
            if (actual == null) {
                return Outcome.NOT_WANTED;
            }
            client.genericKubernetesResources(CTB).withName(name).delete();
            return Outcome.REMOVED;
        }
        if (actual != null && Objects.equals(pem, actual.get("spec", "trustBundle"))) {
            return Outcome.UNCHANGED;
        }
        GenericKubernetesResource desired = new GenericKubernetesResource();
        desired.setApiVersion("certificates.k8s.io/v1beta1");
        desired.setKind("ClusterTrustBundle");
        desired.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .addToLabels(TrustBundlePublisher.TRUST_DOMAIN_LABEL, trustDomain.getMetadata().getName())
                .addToLabels("app.kubernetes.io/managed-by", "twofold")
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(trustDomain.getApiVersion())
                        .withKind(trustDomain.getKind())
                        .withName(trustDomain.getMetadata().getName())
                        .withUid(trustDomain.getMetadata().getUid())
                        .build())
                .build());
        desired.setAdditionalProperty("spec", Map.of("signerName", SIGNER_NAME, "trustBundle", pem));
        if (actual == null) {
            client.genericKubernetesResources(CTB).resource(desired).create();
        } else {
            desired.getMetadata().setResourceVersion(actual.getMetadata().getResourceVersion());
            client.genericKubernetesResources(CTB).resource(desired).update();
        }
        return Outcome.PUBLISHED;
    }

    private boolean served() {
        if (!served) {
            APIResourceList resources = client.getApiResources(CTB.getGroup() + "/" + CTB.getVersion());
            served = resources != null && resources.getResources().stream()
                    .anyMatch(r -> CTB.getPlural().equals(r.getName()));
        }
        return served;
    }
}
