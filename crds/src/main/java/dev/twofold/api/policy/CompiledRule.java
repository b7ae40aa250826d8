package dev.twofold.api.policy;

import dev.twofold.api.v1alpha1.MatchRule;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link MatchRule} ready for matching, with Kubernetes admission rule semantics:
 * <ul>
 *   <li>apiGroups and verbs: exact, or {@code *} for all ({@code *} verbs include {@code connect});
 *   <li>{@code patch} also matches {@code update}, and {@code deletecollection} also matches {@code delete}: admission
 *       reports a patch as an UPDATE and a collection delete as a DELETE per object, so a rule listing only
 *       {@code patch} must still apply there (authorization then sees both verbs: the stricter reading);
 *   <li>{@code pods} matches the resource only, not its subresources; {@code pods/exec} that subresource;
 *       {@code pods/*} every subresource of pods (not pods itself); {@code *&#47;exec} exec of any resource;
 *       {@code *} every resource but no subresource; {@code *&#47;*} every resource and subresource.
 * </ul>
 */
final class CompiledRule {

  private final boolean anyGroup;
  private final Set<String> groups;
  private final boolean anyVerb;
  private final Set<String> verbs;
  /** {@code *}. */
  private final boolean anyResource;
  /** {@code *}{@code /*}. */
  private final boolean anyResourceAnySubresource;
  /** {@code pods}. */
  private final Set<String> resources = new HashSet<>();
  /** {@code pods/*}. */
  private final Set<String> allSubresourcesOf = new HashSet<>();
  /** {@code *}{@code /exec}. */
  private final Set<String> subresourceOfAny = new HashSet<>();
  /** {@code pods/exec}: resource to subresources. */
  private final Map<String, Set<String>> subresources = new HashMap<>();

  private static Set<String> withAdmissionEquivalents(List<String> listed) {
    Set<String> verbs = new HashSet<>(listed);
    if (verbs.contains("patch")) {
      verbs.add("update");
    }
    if (verbs.contains("deletecollection")) {
      verbs.add("delete");
    }
    return Set.copyOf(verbs);
  }

  CompiledRule(MatchRule rule) {
    anyGroup = rule.apiGroups().contains("*");
    groups = Set.copyOf(rule.apiGroups());
    anyVerb = rule.verbs().contains("*");
    verbs = withAdmissionEquivalents(rule.verbs());
    boolean any = false;
    boolean anyAny = false;
    for (String entry : rule.resources()) {
      int slash = entry.indexOf('/');
      if (slash < 0) {
        if (entry.equals("*")) {
          any = true;
        } else {
          resources.add(entry);
        }
        continue;
      }
      String resource = entry.substring(0, slash);
      String subresource = entry.substring(slash + 1);
      if (resource.equals("*") && subresource.equals("*")) {
        anyAny = true;
      } else if (resource.equals("*")) {
        subresourceOfAny.add(subresource);
      } else if (subresource.equals("*")) {
        allSubresourcesOf.add(resource);
      } else {
        subresources.computeIfAbsent(resource, r -> new HashSet<>()).add(subresource);
      }
    }
    anyResource = any;
    anyResourceAnySubresource = anyAny;
  }

  boolean matches(RequestAttributes request) {
    return (anyVerb || verbs.contains(request.verb()))
        && (anyGroup || groups.contains(request.apiGroup()))
        && matchesResource(request.resource(), request.subresource());
  }

  private boolean matchesResource(String resource, String subresource) {
    if (resource.isEmpty()) {
      return false;
    }
    if (anyResourceAnySubresource) {
      return true;
    }
    if (subresource.isEmpty()) {
      return anyResource || resources.contains(resource);
    }
    if (allSubresourcesOf.contains(resource) || subresourceOfAny.contains(subresource)) {
      return true;
    }
    Set<String> subs = subresources.get(resource);
    return subs != null && subs.contains(subresource);
  }

  /**
   * The resource names this rule can match, for indexing; {@code null} when it can match any resource
   * ({@code *}, {@code *}{@code /*} or {@code *}{@code /sub}).
   */
  Set<String> resourceNames() {
    if (anyResource || anyResourceAnySubresource || !subresourceOfAny.isEmpty()) {
      return null;
    }
    Set<String> names = new HashSet<>(resources);
    names.addAll(allSubresourcesOf);
    names.addAll(subresources.keySet());
    return names;
  }

  static List<CompiledRule> compile(List<MatchRule> rules) {
    return rules.stream().map(CompiledRule::new).toList();
  }
}
