package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How token claims become the Kubernetes user; each part defaults independently.
 *
 * @param username never {@code null}; claim {@value #DEFAULT_USERNAME_CLAIM}, prefix {@value #DEFAULT_PREFIX} when
 *     absent
 * @param groups never {@code null}; claim {@value #DEFAULT_GROUPS_CLAIM}, prefix {@value #DEFAULT_PREFIX} when absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"username", "groups"})
public record ClaimMappings(
        @JsonPropertyDescription("The claim that becomes the user name and its prefix (default claim "
                + "preferred_username, prefix oidc:). A token without this claim is rejected.")
        ClaimMapping username,

        @JsonPropertyDescription("The claim that lists the user's groups (a string or a list of strings) and the "
                + "prefix of each group (default claim groups, prefix oidc:). A token without it has no groups.")
        ClaimMapping groups) {

    public static final String DEFAULT_USERNAME_CLAIM = "preferred_username";
    public static final String DEFAULT_GROUPS_CLAIM = "groups";
    public static final String DEFAULT_PREFIX = "oidc:";

    /** Both mappings at their defaults. */
    public static final ClaimMappings DEFAULTS = new ClaimMappings(null, null);

    public ClaimMappings {
        username = withDefaults(username, DEFAULT_USERNAME_CLAIM);
        groups = withDefaults(groups, DEFAULT_GROUPS_CLAIM);
    }

    private static ClaimMapping withDefaults(ClaimMapping mapping, String defaultClaim) {
        if (mapping == null) {
            return new ClaimMapping(defaultClaim, DEFAULT_PREFIX);
        }
        return new ClaimMapping(mapping.claim() == null ? defaultClaim : mapping.claim(),
                mapping.prefix() == null ? DEFAULT_PREFIX : mapping.prefix());
    }
}
