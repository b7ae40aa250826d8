package dev.twofold.webhook.authz;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/** The parts of an {@code authorization.k8s.io/v1} SubjectAccessReview request that Twofold reads. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubjectAccessReview(String apiVersion, String kind, Spec spec) {

    /** {@code spec}: who asks to do what. Exactly one of the attribute blocks is set. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Spec(ResourceAttributes resourceAttributes, NonResourceAttributes nonResourceAttributes,
            String user, List<String> groups, Map<String, List<String>> extra, String uid) {
    }

    /** {@code spec.resourceAttributes}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ResourceAttributes(String namespace, String verb, String group, String version, String resource,
            String subresource, String name) {
    }

    /** {@code spec.nonResourceAttributes}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NonResourceAttributes(String path, String verb) {
    }
}
