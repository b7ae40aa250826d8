package dev.twofold.operator.workload;

import java.util.Map;
import java.util.Objects;

/**
 * Who an attested pod is: values read from the API server's Pod and Node (never from the request) once they matched
 * the request. The issuer renders identity templates from it.
 *
 * @param namespace the pod's namespace
 * @param serviceAccount the pod's service account name
 * @param podName the pod's name
 * @param podUid the pod's UID
 * @param nodeName the pod's node
 * @param podLabels the pod's labels; never {@code null}
 */
public record WorkloadIdentity(String namespace, String serviceAccount, String podName, String podUid,
        String nodeName, Map<String, String> podLabels) {

    public WorkloadIdentity {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        Objects.requireNonNull(podName, "podName");
        Objects.requireNonNull(podUid, "podUid");
        Objects.requireNonNull(nodeName, "nodeName");
        podLabels = podLabels == null ? Map.of() : Map.copyOf(podLabels);
    }
}
