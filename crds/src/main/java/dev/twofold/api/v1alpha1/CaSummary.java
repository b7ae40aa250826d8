package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;

/**
 * What the status tells about one CA certificate.
 *
 * @param fingerprint lower-case hex SHA-256 of the certificate's DER encoding
 * @param notAfter RFC 3339 time
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"fingerprint", "notAfter"})
public record CaSummary(
        @JsonPropertyDescription("SHA-256 fingerprint of the CA certificate (its DER encoding), lower-case hex.")
        @Pattern("^[0-9a-f]{64}$")
        String fingerprint,

        @JsonPropertyDescription("When the CA certificate expires (RFC 3339).")
        String notAfter) {
}
