package dev.twofold.operator.workload.attestation;

import java.util.Locale;

/**
 * The typed reasons attestation fails ({@link Attestation.Failed}); {@link Reason#wireName()} is the snake_case form
 * used in policy status {@code denials}, metrics tags and Denied conditions.
 */
public final class AttestationFailure {

    /** Why a requester was not attested. Low cardinality by design: safe as a metrics tag. */
    public enum Reason {
        /** The claim is not one attestation can check (e.g. a token that is not pod-bound). */
        CLAIM_INVALID,
        NODE_NOT_FOUND,
        NODE_UID_MISMATCH,
        NODE_NOT_READY,
        NODE_UNTRUSTED,
        NODE_DELETING,
        POD_NOT_FOUND,
        POD_UID_MISMATCH,
        POD_SA_MISMATCH,
        POD_NODE_MISMATCH,
        POD_PHASE_NOT_ALLOWED,
        POD_TERMINATING,
        NO_POLICY,
        AMBIGUOUS_POLICY,
        /** The matched policy does not validate (it would fail issuance anyway). */
        POLICY_INVALID,
        IMAGE_NOT_PINNED,
        NODE_LABELS_MISSING,
        TRUST_DOMAIN_MISSING,
        KEY_TYPE_NOT_ALLOWED;

        /** e.g. {@code node_uid_mismatch}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private AttestationFailure() {
    }
}
