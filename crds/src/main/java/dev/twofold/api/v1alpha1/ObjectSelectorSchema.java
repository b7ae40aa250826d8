package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * Schema only: the CRD schema of the pod and node label selectors of {@link TrustDomainSpec} and
 * {@link WorkloadCertificatePolicySpec}, which are plain fabric8 {@link io.fabric8.kubernetes.api.model.LabelSelector}s
 * in Java ({@code @SchemaFrom}). Like {@link LabelSelectorSchema}, worded for pods and nodes rather than namespaces.
 */
public record ObjectSelectorSchema(
        @JsonPropertyDescription("Labels the object must carry, with these exact values.")
        Map<String, String> matchLabels,

        @JsonPropertyDescription("Label requirements, all of which must hold.")
        @Size(max = 32)
        List<LabelSelectorSchema.Requirement> matchExpressions) {
}
