package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * One resource rule, matched like a Kubernetes admission rule (see {@link dev.twofold.api.policy.CompiledPolicy}).
 *
 * @param apiGroups never {@code null}
 * @param resources never {@code null}
 * @param verbs never {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"apiGroups", "resources", "verbs"})
public record MatchRule(
    @JsonPropertyDescription("API groups; \"\" is the core group, \"*\" all groups.")
    @Required
    @Size(min = 1, max = 64)
    List<@Size(max = 253) String> apiGroups,

    @JsonPropertyDescription("Resources, optionally with a subresource: \"pods\", \"pods/exec\", \"pods/*\" (every "
        + "subresource of pods), \"*/exec\", \"*\" (every resource, not subresources), \"*/*\" (everything).")
    @Required
    @Size(min = 1, max = 64)
    List<@Pattern("^(\\*|[a-z0-9]([-a-z0-9.]*[a-z0-9])?)(/(\\*|[a-z0-9]([-a-z0-9.]*[a-z0-9])?))?$") String> resources,

    @JsonPropertyDescription("Lower-case Kubernetes verbs: get, list, watch, create, update, patch, delete, "
        + "deletecollection, connect (exec, attach, port-forward and proxy in admission), impersonate, escalate, bind, "
        + "or \"*\" (all, including connect). get/list/watch are enforced by the authorization webhook only; admission "
        + "never sees reads.")
    @Required
    @Size(min = 1, max = 32)
    List<@Pattern("^(\\*|[a-z]+)$") String> verbs) {

  public MatchRule {
    apiGroups = apiGroups == null ? List.of() : List.copyOf(apiGroups);
    resources = resources == null ? List.of() : List.copyOf(resources);
    verbs = verbs == null ? List.of() : List.copyOf(verbs);
  }
}
