package dev.twofold.webhook.admission;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * The parts of an {@code admission.k8s.io/v1} AdmissionReview request that Twofold reads; everything else (notably
 * {@code object} and {@code oldObject}) is skipped while parsing.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AdmissionReview(String apiVersion, String kind, Request request) {

    /** {@code request}: what is being done, by whom. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Request(String uid, Resource resource, String subResource, String name, String namespace,
            String operation, UserInfo userInfo, Boolean dryRun) {
    }

    /** {@code request.resource}: a GroupVersionResource. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Resource(String group, String version, String resource) {
    }

    /** {@code request.userInfo}: the authenticated user, with the extras the authenticator set. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UserInfo(String username, String uid, List<String> groups, Map<String, List<String>> extra) {
    }
}
