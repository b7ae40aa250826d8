package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * What a pod and its node must satisfy to be issued a certificate, beyond the identity checks every request gets.
 *
 * @param podPhases never {@code null}; {@link #DEFAULT_POD_PHASES} when absent
 * @param requireImageDigests never {@code null}; false when absent
 * @param nodeLabels never {@code null}; empty when absent
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"podPhases", "requireImageDigests", "nodeLabels"})
public record AttestationRequirements(
        @JsonPropertyDescription("Pod phases in which a pod may get a certificate. Default [Running, Pending]: the "
                + "kubelet requests pod certificates before the containers start, while the pod is Pending.")
        @Size(min = 1, max = 5)
        @Default("[\"Running\", \"Pending\"]")
        List<PodPhase> podPhases,

        @JsonPropertyDescription("Require every container image (init and ephemeral containers included) to be "
                + "pinned by digest (image@sha256:<64 hex>). Default false.")
        @Default("false")
        Boolean requireImageDigests,

        @JsonPropertyDescription("Labels the pod's node must carry, with these exact values.")
        @Size(max = 32)
        Map<String, String> nodeLabels) {

    public static final List<PodPhase> DEFAULT_POD_PHASES = List.of(PodPhase.Running, PodPhase.Pending);
    public static final AttestationRequirements DEFAULTS =
            new AttestationRequirements(DEFAULT_POD_PHASES, false, Map.of());

    public AttestationRequirements {
        podPhases = podPhases == null ? DEFAULT_POD_PHASES : List.copyOf(podPhases);
        requireImageDigests = requireImageDigests != null && requireImageDigests;
        nodeLabels = nodeLabels == null ? Map.of() : Map.copyOf(nodeLabels);
    }
}
