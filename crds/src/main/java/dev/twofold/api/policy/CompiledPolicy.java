package dev.twofold.api.policy;

import dev.twofold.api.v1alpha1.Enforcement;
import dev.twofold.api.v1alpha1.MfaPolicy;
import dev.twofold.api.v1alpha1.MfaPolicySpec;
import dev.twofold.api.validation.MfaPolicyValidator;
import dev.twofold.api.validation.ValidationResult;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One {@code MfaPolicy}, validated and precompiled for matching: rule sets, subject sets, the namespace selector and
 * the requirements are built once here, so {@link #matches} and {@link #check} do set look-ups only.
 *
 * <p>A request matches when the policy is not Disabled, one of its rules matches ({@link CompiledRule}: Kubernetes
 * admission rule semantics), the namespace is selected ({@link NamespaceMatcher}: cluster-scoped requests always are)
 * and the subject is in scope ({@link SubjectMatcher}: system identities only when named explicitly).
 */
public final class CompiledPolicy {

  /** Shown in denials when a policy has no stepUpHint. */
  public static final String DEFAULT_STEP_UP_HINT = "authenticate again with a second factor (get a fresh OIDC "
      + "token, e.g. with prompt=login or max_age=0) and retry";

  private final String name;
  private final MfaPolicySpec spec;
  private final Enforcement enforcement;
  private final String stepUpHint;
  private final CompiledRule[] rules;
  private final NamespaceMatcher namespaces;
  private final SubjectMatcher subjects;
  private final Requirements requirements;
  private final List<AdmissionRule> admissionRules;
  private final Set<String> resourceNames;

  private CompiledPolicy(String name, MfaPolicySpec spec) {
    this.name = name;
    this.spec = spec;
    this.enforcement = spec.enforcement();
    String hint = spec.stepUpHint() == null ? "" : spec.stepUpHint().strip();
    this.stepUpHint = hint.isEmpty() ? DEFAULT_STEP_UP_HINT
        : Text.oneLine(hint, MfaPolicyValidator.MAX_STEP_UP_HINT_LENGTH);
    this.rules = CompiledRule.compile(spec.match().rules()).toArray(new CompiledRule[0]);
    this.namespaces = NamespaceMatcher.compile(spec.match().namespaceSelector());
    this.subjects = new SubjectMatcher(spec.match().subjects());
    this.requirements = new Requirements(spec.require());
    this.admissionRules = AdmissionRules.union(List.of(spec));
    Set<String> names = new HashSet<>();
    for (CompiledRule rule : rules) {
      Set<String> ruleNames = rule.resourceNames();
      if (ruleNames == null) {
        names = null;
        break;
      }
      names.addAll(ruleNames);
    }
    this.resourceNames = names == null ? null : Set.copyOf(names);
  }

  /** Validates and compiles {@code spec} under the policy's {@code name}. */
  public static Compilation compile(String name, MfaPolicySpec spec) {
    Objects.requireNonNull(name, "name");
    ValidationResult validation = MfaPolicyValidator.validate(spec);
    if (!validation.valid()) {
      return new Compilation.Rejected(name, validation);
    }
    return new Compilation.Compiled(new CompiledPolicy(name, spec), validation);
  }

  /** Validates and compiles {@code policy} ({@code metadata.name} and {@code spec}). */
  public static Compilation compile(MfaPolicy policy) {
    return compile(policy.getMetadata().getName(), policy.getSpec());
  }

  public String name() {
    return name;
  }

  public MfaPolicySpec spec() {
    return spec;
  }

  public Enforcement enforcement() {
    return enforcement;
  }

  /** The hint for denials: the spec's, sanitized to one line, or {@link #DEFAULT_STEP_UP_HINT}. */
  public String stepUpHint() {
    return stepUpHint;
  }

  /** Whether the request is in this policy's scope (always false when Disabled). */
  public boolean matches(RequestAttributes request) {
    if (enforcement == Enforcement.DISABLED) {
      return false;
    }
    boolean ruleMatches = false;
    for (CompiledRule rule : rules) {
      if (rule.matches(request)) {
        ruleMatches = true;
        break;
      }
    }
    return ruleMatches
        && subjects.matches(request.user(), request.groups())
        && namespaces.matches(request);
  }

  /** What {@code evidence} lacks for this policy at {@code now}, in requirement order; empty when satisfied. */
  public List<Missing> check(Evidence evidence, Instant now) {
    List<Missing> missing = requirements.check(evidence, now);
    return missing == null ? List.of() : List.copyOf(missing);
  }

  /** Like {@link #check} but {@code null} when satisfied, and the list is not copied: the engine's hot path. */
  List<Missing> checkOrNull(Evidence evidence, Instant now) {
    return requirements.check(evidence, now);
  }

  /**
   * This policy's admission webhook rules (none when Disabled); their count is the status's
   * {@code admissionRules}. See {@link PolicySet#rulesForAdmission()}.
   */
  public List<AdmissionRule> rulesForAdmission() {
    return admissionRules;
  }

  /** The resource names the policy can match, or {@code null} when a wildcard rule can match any resource. */
  Set<String> resourceNames() {
    return resourceNames;
  }

  @Override
  public String toString() {
    return "CompiledPolicy[" + name + ", " + enforcement.wireName() + "]";
  }
}
