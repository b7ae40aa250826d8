package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A Secret named from a cluster-scoped object, so with its namespace.
 *
 * @param name {@code null} only in an invalid object
 * @param namespace {@code null} only in an invalid object
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "namespace"})
public record SecretReference(
        @JsonPropertyDescription("The Secret's name.")
        @Required
        @Size(min = 1, max = 253)
        @Pattern(TrustDomainSpec.TRUST_DOMAIN_PATTERN)
        String name,

        @JsonPropertyDescription("The Secret's namespace.")
        @Required
        @Size(min = 1, max = 63)
        @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
        String namespace) {
}
