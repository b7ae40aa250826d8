package dev.twofold.operator.pki;

/**
 * One thing a PKI pass did, for the log and a Kubernetes Event on the Secret it concerns.
 *
 * @param kind what happened; its name is the Event reason
 * @param message for humans, one line
 */
public record PkiChange(Kind kind, String message) {

    public enum Kind {
        /** No usable CA existed; a new one was generated. */
        CaCreated,
        /** The CA had expired and had no successor; a new one replaced it. */
        CaReplaced,
        /** The next CA was generated and published in the bundle; it does not sign yet. */
        CaRotationStarted,
        /** The next CA became the signing CA; the old one stays in the bundle for now. */
        CaRotated,
        /** The previous CA left the bundle: nothing it signed is in use any more. */
        PreviousCaDropped,
        /** A serving certificate was issued (first one, renewal, new names or new CA). */
        ServingCertIssued
    }
}
