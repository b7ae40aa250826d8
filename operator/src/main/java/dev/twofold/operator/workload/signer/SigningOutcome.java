package dev.twofold.operator.workload.signer;

import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.operator.workload.issuer.IssuedCertificate;
import java.util.Objects;

/** What one signing attempt came to, for every issuance path. */
public sealed interface SigningOutcome {

    /** Signed. */
    record Issued(IssuedCertificate certificate, WorkloadCertificatePolicy policy) implements SigningOutcome {
        public Issued {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(policy, "policy");
        }
    }

    /**
     * Deliberately refused: the requester, pod, node or policy is at fault, and asking again cannot help.
     *
     * @param reason a CamelCase condition reason, e.g. NodeUntrusted
     * @param wireReason the snake_case form for metrics and policy status, e.g. node_untrusted
     * @param message one line for a human
     */
    record Denied(String reason, String wireReason, String message) implements SigningOutcome {
        public Denied {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(wireReason, "wireReason");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Not now: our fault or a transient state (no active CA yet); try again later, and fail after a while. */
    record Retry(String reason, String message) implements SigningOutcome {
        public Retry {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }

    /** {@code NODE_UID_MISMATCH} to {@code NodeUidMismatch}. */
    static String camel(String upperSnake) {
        StringBuilder out = new StringBuilder();
        for (String part : upperSnake.toLowerCase(java.util.Locale.ROOT).split("_")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }
}
