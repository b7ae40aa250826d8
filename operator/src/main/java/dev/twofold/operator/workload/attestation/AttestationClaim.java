package dev.twofold.operator.workload.attestation;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the API server verified about a requester, by path. Attestation checks it against the cluster; nothing in it
 * goes into a certificate.
 */
public sealed interface AttestationClaim {

    /**
     * A PodCertificateRequest's spec: NodeRestriction admitted it only from the pod's own node, with the pod's and
     * service account's names and UIDs.
     */
    record PodCertificateRequestClaim(String namespace, String podName, String podUid, String serviceAccountName,
            String serviceAccountUid, String nodeName, String nodeUid) implements AttestationClaim {

        public PodCertificateRequestClaim {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(podName, "podName");
            Objects.requireNonNull(podUid, "podUid");
            Objects.requireNonNull(serviceAccountName, "serviceAccountName");
            Objects.requireNonNull(nodeName, "nodeName");
            Objects.requireNonNull(nodeUid, "nodeUid");
        }
    }

    /**
     * The user of a pod-bound service account token, as TokenReview or a CertificateSigningRequest's
     * {@code spec.username}/{@code spec.extra} show it: {@code system:serviceaccount:<namespace>:<name>} with the
     * {@code authentication.kubernetes.io/pod-name}, {@code pod-uid}, {@code node-name} and {@code node-uid} extras.
     */
    record PodBoundTokenClaim(String username, Map<String, List<String>> extra) implements AttestationClaim {

        public static final String USERNAME_PREFIX = "system:serviceaccount:";
        public static final String POD_NAME = "authentication.kubernetes.io/pod-name";
        public static final String POD_UID = "authentication.kubernetes.io/pod-uid";
        public static final String NODE_NAME = "authentication.kubernetes.io/node-name";
        public static final String NODE_UID = "authentication.kubernetes.io/node-uid";

        public PodBoundTokenClaim {
            Objects.requireNonNull(username, "username");
            extra = extra == null ? Map.of() : Map.copyOf(extra);
        }
    }
}
