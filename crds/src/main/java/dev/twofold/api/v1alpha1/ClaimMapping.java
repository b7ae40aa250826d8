package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * Which token claim becomes one Kubernetes user attribute, and the prefix put in front of its value(s), as in the
 * API server's structured authentication {@code claimMappings}.
 *
 * @param claim {@code null} when absent (the attribute's default claim applies)
 * @param prefix {@code null} when absent (the default prefix applies); may be empty for no prefix
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"claim", "prefix"})
public record ClaimMapping(
        @JsonPropertyDescription("The top-level claim whose value is mapped, e.g. preferred_username, sub, email "
                + "or groups.")
        @Size(min = 1, max = 256)
        @Pattern("^[A-Za-z0-9_:.\\-/]+$")
        String claim,

        @JsonPropertyDescription("Put in front of every mapped value, e.g. oidc: so that IdP names cannot collide "
                + "with Kubernetes' own (system:...). An empty string means no prefix.")
        @Size(max = 64)
        String prefix) {
}
