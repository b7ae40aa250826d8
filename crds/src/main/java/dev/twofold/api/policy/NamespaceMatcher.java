package dev.twofold.api.policy;

import dev.twofold.api.workload.LabelSelectorMatcher;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * A policy's namespace selector: Kubernetes label-selector semantics ({@link LabelSelectorMatcher}) over the labels of
 * the request's namespace, and cluster-scoped requests are always selected. An absent or empty selector selects every
 * namespace. Assumes a validated selector.
 */
final class NamespaceMatcher {

  static final NamespaceMatcher ALL = new NamespaceMatcher(LabelSelectorMatcher.EVERYTHING);

  private final LabelSelectorMatcher selector;

  private NamespaceMatcher(LabelSelectorMatcher selector) {
    this.selector = selector;
  }

  static NamespaceMatcher compile(LabelSelector selector) {
    LabelSelectorMatcher compiled = LabelSelectorMatcher.compile(selector);
    return compiled == LabelSelectorMatcher.EVERYTHING ? ALL : new NamespaceMatcher(compiled);
  }

  boolean matches(RequestAttributes request) {
    return this == ALL || request.clusterScoped() || selector.matches(request.namespaceLabels());
  }
}
