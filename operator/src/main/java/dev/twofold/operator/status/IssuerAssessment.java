package dev.twofold.operator.status;

import dev.twofold.api.validation.ValidationResult;
import dev.twofold.webhook.oidc.ProbeResult;

/** What the operator found out about one OidcIssuer in one pass; {@link IssuerStatusAggregator} makes it a status. */
public sealed interface IssuerAssessment {

    /** The spec has errors: nothing was probed. */
    record Invalid(ValidationResult validation) implements IssuerAssessment {
    }

    /** An older OidcIssuer ({@code owner}) has the same url and serves it: this one is ignored, nothing was probed. */
    record Shadowed(String owner) implements IssuerAssessment {
    }

    /** The issuer was probed. */
    record Probed(ProbeResult result) implements IssuerAssessment {
    }

    /** Whether the issuer's tokens can be verified: probed, with usable keys. */
    default boolean verifiable() {
        return this instanceof Probed probed && probed.result() instanceof ProbeResult.KeysLoaded;
    }
}
