package dev.twofold.operator.workload.attestation;

import dev.twofold.api.v1alpha1.TrustDomain;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.operator.workload.WorkloadIdentity;
import java.util.Objects;

/** The outcome of attesting a requester: attested with its identity and policy, or failed with a typed reason. */
public sealed interface Attestation {

    /**
     * Node and pod are who the claim says, and exactly one policy covers the pod.
     *
     * @param identity the pod, as the API server's objects describe it
     * @param policy the one policy covering it
     * @param trustDomain the policy's trust domain
     */
    record Attested(WorkloadIdentity identity, WorkloadCertificatePolicy policy, TrustDomain trustDomain)
            implements Attestation {

        public Attested {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(trustDomain, "trustDomain");
        }
    }

    /**
     * Not attested.
     *
     * @param reason why, typed
     * @param message what was found, for a human (one line)
     */
    record Failed(AttestationFailure.Reason reason, String message) implements Attestation {

        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }
}
