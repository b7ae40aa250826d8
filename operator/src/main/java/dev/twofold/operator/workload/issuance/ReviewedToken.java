package dev.twofold.operator.workload.issuance;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the API server said of a bearer token. */
public sealed interface ReviewedToken {

    /**
     * A valid token for the audience asked about.
     *
     * @param username e.g. {@code system:serviceaccount:demo:web}
     * @param extra the user's extras, e.g. {@code authentication.kubernetes.io/pod-uid} for a pod-bound token
     */
    record Authenticated(String username, Map<String, List<String>> extra) implements ReviewedToken {
        public Authenticated {
            Objects.requireNonNull(username, "username");
            extra = extra == null ? Map.of() : Map.copyOf(extra);
        }
    }

    /**
     * Not valid (expired, forged, wrong audience, bound to an object that is gone).
     *
     * @param reason the API server's words, or ours
     */
    record Rejected(String reason) implements ReviewedToken {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
