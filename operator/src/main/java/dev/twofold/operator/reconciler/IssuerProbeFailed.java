package dev.twofold.operator.reconciler;

import dev.twofold.api.v1alpha1.OidcIssuerStatus;

/**
 * An OidcIssuer's IdP could not be discovered or gave no usable keys. Thrown from {@link OidcIssuerReconciler} so the
 * framework retries with back-off (the IdP is outside the cluster: no event says it recovered); carries the status that
 * reports it, which {@link OidcIssuerReconciler#updateErrorStatus} writes. No stack trace: this is news about the IdP,
 * not about the operator.
 */
public final class IssuerProbeFailed extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient OidcIssuerStatus status;

    IssuerProbeFailed(String issuer, String reason, String message, OidcIssuerStatus status) {
        super("OidcIssuer " + issuer + " is not ready (" + reason + "): " + message, null, false, false);
        this.status = status;
    }

    /** The status describing the failure. */
    public OidcIssuerStatus status() {
        return status;
    }
}
