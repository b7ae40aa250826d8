package dev.twofold.operator.pki;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The result of one {@link WebhookPki} pass. */
public sealed interface PkiOutcome {

    /**
     * What both Secrets should hold and what the webhook configuration should trust.
     *
     * @param caSecretData PEM text by key, see {@link CaSecretContent}
     * @param tlsSecretData PEM text by key, see {@link ServingSecretContent}
     * @param caBundle the CAs to trust, PEM: the signing CA first, then the next or previous one
     * @param changes what this pass changed, in order; empty when nothing is due
     * @param nextCheck when the next decision falls due (renewal, rotation phase, or the re-check interval)
     * @param caNotAfter when the signing CA expires
     * @param servingNotAfter when the serving certificate expires
     */
    record Ready(Map<String, String> caSecretData, Map<String, String> tlsSecretData, String caBundle,
            List<PkiChange> changes, Instant nextCheck, Instant caNotAfter, Instant servingNotAfter)
            implements PkiOutcome {
        public Ready {
            caSecretData = Map.copyOf(caSecretData);
            tlsSecretData = Map.copyOf(tlsSecretData);
            changes = List.copyOf(changes);
        }
    }

    /**
     * The CA Secret holds something unusable. Nothing is written; a user has to fix or delete the Secret.
     *
     * @param reason the Event reason, {@link #INVALID_CA_SECRET}
     * @param message what is wrong, naming the key
     */
    record Rejected(String reason, String message) implements PkiOutcome {
    }

    String INVALID_CA_SECRET = "InvalidCaSecret";
}
