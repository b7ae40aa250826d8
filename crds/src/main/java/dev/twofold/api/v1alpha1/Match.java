package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/**
 * The requests a policy covers: a request matches when one of {@link #rules()} matches it, its namespace is selected
 * and its user is one of {@link #subjects()}.
 *
 * @param rules never {@code null}
 * @param namespaceSelector {@code null} when absent (all namespaces)
 * @param subjects never {@code null}; empty when absent (every authenticated human)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"rules", "namespaceSelector", "subjects"})
public record Match(
    @JsonPropertyDescription("Resource rules in the Kubernetes admission/authorization vocabulary; a request matches "
        + "if any rule matches it.")
    @Required
    @Size(min = 1, max = 64)
    List<MatchRule> rules,

    @JsonPropertyDescription("Selects the namespaces of namespaced requests by their labels (a standard label "
        + "selector). Absent or empty selects all namespaces. Cluster-scoped requests are always in scope.")
    @SchemaFrom(type = LabelSelectorSchema.class)
    LabelSelector namespaceSelector,

    @JsonPropertyDescription("Who is in scope. Absent users and groups mean every authenticated human; service "
        + "accounts, nodes and system:kube-* components are never in scope unless named in users or groups.")
    Subjects subjects) {

  public Match {
    rules = rules == null ? List.of() : List.copyOf(rules);
    subjects = subjects == null ? Subjects.EVERYONE : subjects;
  }
}
