package dev.twofold.api.workload;

import java.util.Map;
import java.util.Objects;

/**
 * What identity template placeholders resolve to for one attested pod.
 *
 * @param trustDomain the SPIFFE trust domain name
 * @param namespace the pod's namespace
 * @param serviceAccount the pod's service account
 * @param podName the pod's name
 * @param nodeName the pod's node
 * @param podLabels the pod's labels; never {@code null}
 */
public record TemplateValues(String trustDomain, String namespace, String serviceAccount, String podName,
        String nodeName, Map<String, String> podLabels) {

    public TemplateValues {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        Objects.requireNonNull(podName, "podName");
        Objects.requireNonNull(nodeName, "nodeName");
        podLabels = podLabels == null ? Map.of() : Map.copyOf(podLabels);
    }
}
