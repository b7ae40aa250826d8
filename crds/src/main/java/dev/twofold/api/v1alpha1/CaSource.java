package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Optional;

/**
 * Where a {@link TrustDomain}'s CA comes from, as a one-of on the wire ({@code selfSigned: {}} or
 * {@code intermediate: {...}}); Java code reads the choice through {@link #mode()}.
 *
 * @param selfSigned {@code null} unless chosen
 * @param intermediate {@code null} unless chosen
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"selfSigned", "intermediate"})
@ValidationRule(value = "has(self.selfSigned) != has(self.intermediate)", reason = "FieldValueInvalid",
        message = "ca needs exactly one of selfSigned or intermediate")
public record CaSource(
        @JsonPropertyDescription("Twofold generates a self-signed ECDSA P-256 root CA (no fields).")
        SelfSigned selfSigned,

        @JsonPropertyDescription("Twofold generates ECDSA P-256 intermediate CAs (pathLen 0, name-constrained to "
                + "spiffe://<trustDomain>) signed by a root you provide; the trust bundle carries your root.")
        Intermediate intermediate) {

    /** The default: a self-signed root. */
    public static final CaSource SELF_SIGNED = new CaSource(new SelfSigned(), null);

    /** The chosen mode, or empty when none or both are set (an invalid object). */
    public Optional<Mode> mode() {
        if (selfSigned != null && intermediate == null) {
            return Optional.of(selfSigned);
        }
        if (intermediate != null && selfSigned == null) {
            return Optional.of(intermediate);
        }
        return Optional.empty();
    }

    /** The closed set of CA modes. */
    public sealed interface Mode permits SelfSigned, Intermediate {
    }

    /** Self-signed root; no settings. */
    // Any Jackson annotation keeps Jackson from refusing a type without properties (FAIL_ON_EMPTY_BEANS).
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SelfSigned() implements Mode {
    }

    /**
     * Intermediates signed by a user-provided root.
     *
     * @param secretRef {@code null} only in an invalid object
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Intermediate(
            @JsonPropertyDescription("The Secret holding the root CA: its certificate (PEM) in tls.crt and its "
                    + "unencrypted PKCS#8 private key (PEM) in tls.key. Only the operator should be able to read it.")
            @Required
            SecretReference secretRef) implements Mode {
    }
}
