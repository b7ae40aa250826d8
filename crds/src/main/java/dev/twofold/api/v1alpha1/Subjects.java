package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Who a policy applies to. All lists are never {@code null}; empty means absent.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"users", "groups", "excludeUsers", "excludeGroups"})
public record Subjects(
    @JsonPropertyDescription("User names in scope. When users and groups are both absent, every authenticated human "
        + "is in scope.")
    @Size(max = 256)
    List<@Size(min = 1) String> users,

    @JsonPropertyDescription("Groups in scope (a request is in scope if any of its groups is listed). Naming "
        + "system:serviceaccounts[:<namespace>] or system:nodes here brings those identities into scope.")
    @Size(max = 256)
    List<@Size(min = 1) String> groups,

    @JsonPropertyDescription("User names never in scope.")
    @Size(max = 256)
    List<@Size(min = 1) String> excludeUsers,

    @JsonPropertyDescription("Groups never in scope.")
    @Size(max = 256)
    List<@Size(min = 1) String> excludeGroups) {

  /** No users, no groups, no exclusions: every authenticated human. */
  public static final Subjects EVERYONE = new Subjects(List.of(), List.of(), List.of(), List.of());

  public Subjects {
    users = users == null ? List.of() : List.copyOf(users);
    groups = groups == null ? List.of() : List.copyOf(groups);
    excludeUsers = excludeUsers == null ? List.of() : List.copyOf(excludeUsers);
    excludeGroups = excludeGroups == null ? List.of() : List.copyOf(excludeGroups);
  }
}
