package dev.twofold.api.policy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled namespace label selector with Kubernetes semantics: all requirements must hold; {@code matchLabels}
 * entries are equality requirements; In needs the key with one of the values, NotIn the key absent or with none of
 * them, Exists the key, DoesNotExist its absence. An absent or empty selector selects every namespace; cluster-scoped
 * requests are always selected. Assumes a validated selector.
 */
final class NamespaceMatcher {

  static final NamespaceMatcher ALL = new NamespaceMatcher(new Requirement[0]);

  private enum Operator { IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

  private record Requirement(String key, Operator operator, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case IN -> value != null && values.contains(value);
        case NOT_IN -> value == null || !values.contains(value);
        case EXISTS -> value != null;
        case DOES_NOT_EXIST -> value == null;
      };
    }
  }

  private final Requirement[] requirements;

  private NamespaceMatcher(Requirement[] requirements) {
    this.requirements = requirements;
  }

  static NamespaceMatcher compile(LabelSelector selector) {
    if (selector == null) {
      return ALL;
    }
    List<Requirement> requirements = new ArrayList<>();
    if (selector.getMatchLabels() != null) {
      selector.getMatchLabels().forEach((key, value) ->
          requirements.add(new Requirement(key, Operator.IN, Set.of(value))));
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement expression : selector.getMatchExpressions()) {
        Operator operator = switch (expression.getOperator()) {
          case "In" -> Operator.IN;
          case "NotIn" -> Operator.NOT_IN;
          case "Exists" -> Operator.EXISTS;
          case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
          default -> throw new IllegalArgumentException("unknown operator " + expression.getOperator());
        };
        List<String> values = expression.getValues() == null ? List.of() : expression.getValues();
        requirements.add(new Requirement(expression.getKey(), operator, Set.copyOf(values)));
      }
    }
    return requirements.isEmpty() ? ALL : new NamespaceMatcher(requirements.toArray(new Requirement[0]));
  }

  boolean matches(RequestAttributes request) {
    if (requirements.length == 0 || request.clusterScoped()) {
      return true;
    }
    Map<String, String> labels = request.namespaceLabels();
    for (Requirement requirement : requirements) {
      if (!requirement.matches(labels)) {
        return false;
      }
    }
    return true;
  }
}
