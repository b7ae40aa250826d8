package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * Where the trust bundle of a {@link TrustDomain} is published.
 *
 * @param configMapName never {@code null}; {@value #DEFAULT_CONFIG_MAP_NAME} when absent
 * @param namespaceSelector {@code null} when absent (every namespace)
 * @param clusterTrustBundle never {@code null}; false when absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"configMapName", "namespaceSelector", "clusterTrustBundle"})
public record TrustBundleTargets(
        @JsonPropertyDescription("Name of the ConfigMap, in every selected namespace, whose ca.crt holds the bundle "
                + "as PEM. Default twofold-trust-bundle.")
        @Size(min = 1, max = 253)
        @Pattern(TrustDomainSpec.TRUST_DOMAIN_PATTERN)
        @Default(DEFAULT_CONFIG_MAP_NAME)
        String configMapName,

        @JsonPropertyDescription("Namespaces that get the ConfigMap, by namespace labels (a standard label "
                + "selector). Absent or empty selects every namespace.")
        @SchemaFrom(type = LabelSelectorSchema.class)
        LabelSelector namespaceSelector,

        @JsonPropertyDescription("Also publish the bundle as a ClusterTrustBundle (certificates.k8s.io) for the "
                + "trust domain's signer, so pods can mount it with a clusterTrustBundle projection. Default false.")
        @Default("false")
        Boolean clusterTrustBundle) {

    public static final String DEFAULT_CONFIG_MAP_NAME = "twofold-trust-bundle";
    public static final TrustBundleTargets DEFAULTS = new TrustBundleTargets(DEFAULT_CONFIG_MAP_NAME, null, false);

    public TrustBundleTargets {
        configMapName = configMapName == null ? DEFAULT_CONFIG_MAP_NAME : configMapName;
        clusterTrustBundle = clusterTrustBundle != null && clusterTrustBundle;
    }
}
