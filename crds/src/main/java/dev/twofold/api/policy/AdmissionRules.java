package dev.twofold.api.policy;

import dev.twofold.api.v1alpha1.Enforcement;
import dev.twofold.api.v1alpha1.MatchRule;
import dev.twofold.api.v1alpha1.MfaPolicySpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Renders policies' rules as admission webhook rules. Verbs map to operations as: create → CREATE; update, patch →
 * UPDATE; delete, deletecollection → DELETE; connect → CONNECT; {@code *} → all four. Reads (get, list, watch) and
 * authorization-only verbs (impersonate, escalate, bind, ...) produce no admission rule: the authorization webhook
 * enforces them.
 *
 * <p>The union is computed per (apiGroup, resource) pair, then pairs are grouped into as few rules as the
 * cross-product form allows (same operations, then same resources); the result is sorted, so identical policy sets
 * always render identical configurations. Wildcards are not folded into each other.
 */
final class AdmissionRules {

  private AdmissionRules() {
  }

  static Set<AdmissionOperation> operations(List<String> verbs) {
    EnumSet<AdmissionOperation> ops = EnumSet.noneOf(AdmissionOperation.class);
    for (String verb : verbs) {
      switch (verb) {
        case "*" -> ops.addAll(EnumSet.allOf(AdmissionOperation.class));
        case "create" -> ops.add(AdmissionOperation.CREATE);
        case "update", "patch" -> ops.add(AdmissionOperation.UPDATE);
        case "delete", "deletecollection" -> ops.add(AdmissionOperation.DELETE);
        case "connect" -> ops.add(AdmissionOperation.CONNECT);
        default -> {
        }
      }
    }
    return ops;
  }

  static List<AdmissionRule> union(List<MfaPolicySpec> specs) {
    // (group, resource) -> operations
    Map<String, Map<String, EnumSet<AdmissionOperation>>> pairs = new TreeMap<>();
    for (MfaPolicySpec spec : specs) {
      if (spec.enforcement() == Enforcement.DISABLED) {
        continue;
      }
      for (MatchRule rule : spec.match().rules()) {
        Set<AdmissionOperation> ops = operations(rule.verbs());
        if (ops.isEmpty()) {
          continue;
        }
        for (String group : rule.apiGroups()) {
          for (String resource : rule.resources()) {
            pairs.computeIfAbsent(group, g -> new TreeMap<>())
                .computeIfAbsent(resource, r -> EnumSet.noneOf(AdmissionOperation.class))
                .addAll(ops);
          }
        }
      }
    }
    // (operations, group) -> resources
    Map<List<AdmissionOperation>, Map<String, TreeSet<String>>> byOps = new TreeMap<>(OPS_ORDER);
    pairs.forEach((group, resources) -> resources.forEach((resource, ops) ->
        byOps.computeIfAbsent(List.copyOf(ops), o -> new TreeMap<>())
            .computeIfAbsent(group, g -> new TreeSet<>())
            .add(resource)));
    // (operations, resources) -> groups
    List<AdmissionRule> rules = new ArrayList<>();
    byOps.forEach((ops, groups) -> {
      Map<List<String>, TreeSet<String>> byResources = new TreeMap<>(LIST_ORDER);
      groups.forEach((group, resources) ->
          byResources.computeIfAbsent(List.copyOf(resources), r -> new TreeSet<>()).add(group));
      byResources.forEach((resources, groupSet) ->
          rules.add(new AdmissionRule(List.copyOf(groupSet), resources, ops)));
    });
    rules.sort(Comparator.comparing((AdmissionRule r) -> r.apiGroups(), LIST_ORDER)
        .thenComparing(AdmissionRule::resources, LIST_ORDER)
        .thenComparing(AdmissionRule::operations, OPS_ORDER));
    return List.copyOf(rules);
  }

  private static final Comparator<List<String>> LIST_ORDER = (a, b) -> {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  };

  private static final Comparator<List<AdmissionOperation>> OPS_ORDER = (a, b) -> {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  };
}
