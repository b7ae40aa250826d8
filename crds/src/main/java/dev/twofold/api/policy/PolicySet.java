package dev.twofold.api.policy;

import dev.twofold.api.policy.Decision.Allow;
import dev.twofold.api.policy.Decision.AllowReason;
import dev.twofold.api.policy.Decision.AuditWarn;
import dev.twofold.api.policy.Decision.Deny;
import dev.twofold.api.v1alpha1.Enforcement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable snapshot of the compiled policies, built once per policy change and shared by every request thread.
 *
 * <p>{@link #evaluate} looks up the candidate policies by the request's resource in an index built here (policies
 * with a wildcard resource are candidates for every resource), then checks each candidate in name order. Which
 * policy decides, and the message formats, are documented on {@link Decision}.
 */
public final class PolicySet {

  private static final CompiledPolicy[] NONE = new CompiledPolicy[0];
  private static final PolicySet EMPTY = new PolicySet(List.of());

  /** All policies, by name. */
  private final List<CompiledPolicy> policies;
  /** Enabled policies that can match a resource, by resource name, each array in name order. */
  private final Map<String, CompiledPolicy[]> byResource;
  /** Enabled policies that can match any resource, in name order: the candidates for unindexed resources. */
  private final CompiledPolicy[] anyResource;
  private final List<AdmissionRule> admissionRules;

  private PolicySet(Collection<CompiledPolicy> compiled) {
    List<CompiledPolicy> sorted = new ArrayList<>(compiled);
    sorted.sort(Comparator.comparing(CompiledPolicy::name));
    Set<String> names = new HashSet<>();
    for (CompiledPolicy policy : sorted) {
      if (!names.add(policy.name())) {
        throw new IllegalArgumentException("duplicate policy name " + policy.name());
      }
    }
    this.policies = List.copyOf(sorted);

    Set<String> indexed = new HashSet<>();
    List<CompiledPolicy> wildcard = new ArrayList<>();
    for (CompiledPolicy policy : sorted) {
      if (policy.enforcement() == Enforcement.DISABLED) {
        continue;
      }
      if (policy.resourceNames() == null) {
        wildcard.add(policy);
      } else {
        indexed.addAll(policy.resourceNames());
      }
    }
    Map<String, CompiledPolicy[]> index = new HashMap<>();
    for (String resource : indexed) {
      List<CompiledPolicy> candidates = new ArrayList<>();
      for (CompiledPolicy policy : sorted) {
        if (policy.enforcement() != Enforcement.DISABLED
            && (policy.resourceNames() == null || policy.resourceNames().contains(resource))) {
          candidates.add(policy);
        }
      }
      index.put(resource, candidates.toArray(NONE));
    }
    this.byResource = Map.copyOf(index);
    this.anyResource = wildcard.toArray(NONE);
    this.admissionRules = AdmissionRules.union(sorted.stream().map(CompiledPolicy::spec).toList());
  }

  /** A set of {@code policies}; names must be unique. */
  public static PolicySet of(Collection<CompiledPolicy> policies) {
    return policies.isEmpty() ? EMPTY : new PolicySet(policies);
  }

  public static PolicySet empty() {
    return EMPTY;
  }

  /** Every policy, Disabled ones included, in name order. */
  public List<CompiledPolicy> policies() {
    return policies;
  }

  public Optional<CompiledPolicy> policy(String name) {
    return policies.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  public int size() {
    return policies.size();
  }

  /**
   * The decision for {@code request}, carrying {@code evidence}, at {@code now}. Never throws for well-formed
   * (non-null) arguments.
   */
  public Decision evaluate(RequestAttributes request, Evidence evidence, Instant now) {
    CompiledPolicy[] candidates = byResource.getOrDefault(request.resource(), anyResource);
    if (candidates.length == 0) {
      return Allow.NO_POLICY_MATCHED;
    }
    CompiledPolicy denier = null;
    List<Missing> denierMissing = null;
    List<String> alsoDenying = null;
    CompiledPolicy auditor = null;
    List<Missing> auditorMissing = null;
    List<String> alsoAuditing = null;
    List<String> satisfied = null;
    for (CompiledPolicy policy : candidates) {
      if (!policy.matches(request)) {
        continue;
      }
      List<Missing> missing = policy.checkOrNull(evidence, now);
      if (missing == null) {
        if (satisfied == null) {
          satisfied = new ArrayList<>(2);
        }
        satisfied.add(policy.name());
      } else if (policy.enforcement() == Enforcement.ENFORCE) {
        if (denier == null) {
          denier = policy;
          denierMissing = missing;
        } else {
          alsoDenying = append(alsoDenying, policy.name());
        }
      } else if (auditor == null) {
        auditor = policy;
        auditorMissing = missing;
      } else {
        alsoAuditing = append(alsoAuditing, policy.name());
      }
    }
    if (denier != null) {
      List<String> others = alsoDenying == null ? List.of() : alsoDenying;
      return new Deny(denier.name(), denierMissing, Messages.denial(denier, request, denierMissing, others),
          denier.stepUpHint(), others);
    }
    if (auditor != null) {
      List<String> others = alsoAuditing == null ? List.of() : alsoAuditing;
      return new AuditWarn(auditor.name(), auditorMissing, Messages.auditWarning(auditor, request, auditorMissing,
          others), others);
    }
    return satisfied == null ? Allow.NO_POLICY_MATCHED : new Allow(AllowReason.ALL_SATISFIED, satisfied);
  }

  private static List<String> append(List<String> list, String name) {
    List<String> out = list == null ? new ArrayList<>(2) : list;
    out.add(name);
    return out;
  }

  /**
   * The union of the enabled policies' rules for the ValidatingWebhookConfiguration (see {@link AdmissionRules}
   * for the verb → operation mapping): the API server then calls the webhook only for requests some policy can
   * match. Empty when no policy needs admission.
   */
  public List<AdmissionRule> rulesForAdmission() {
    return admissionRules;
  }
}
