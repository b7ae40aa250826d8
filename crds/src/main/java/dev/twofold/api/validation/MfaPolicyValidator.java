package dev.twofold.api.validation;

import dev.twofold.api.v1alpha1.AmrRequirement;
import dev.twofold.api.v1alpha1.Match;
import dev.twofold.api.v1alpha1.MatchRule;
import dev.twofold.api.v1alpha1.MfaPolicySpec;
import dev.twofold.api.v1alpha1.Require;
import dev.twofold.api.v1alpha1.Subjects;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates an {@link MfaPolicySpec}: everything the CRD schema checks (so objects that bypassed it, e.g. in tests or
 * from an older CRD, are caught too) plus what it cannot express.
 *
 * <p>Errors make the policy unusable; the decision engine refuses to compile it. Warnings flag things that are
 * legal but probably not what the author meant: amr values outside RFC 8176, duplicate or redundant amr sets, verbs
 * Kubernetes does not use, connect-style subresources without the {@code connect} verb (admission would never see
 * them), non-https issuers, exclusions that empty the subject set.
 */
public final class MfaPolicyValidator {

  /** RFC 8176 §2 registered amr values. */
  public static final Set<String> RFC8176_AMR = Set.of("face", "fpt", "geo", "hwk", "iris", "kba", "mca", "mfa",
      "otp", "pin", "pop", "pwd", "rba", "retina", "sc", "sms", "swk", "tel", "user", "vbm", "wia");

  /** Verbs Kubernetes authorizes or admits (lower case), besides {@code *}. */
  public static final Set<String> KUBERNETES_VERBS = Set.of("get", "list", "watch", "create", "update", "patch",
      "delete", "deletecollection", "connect", "impersonate", "escalate", "bind", "approve", "sign", "attest", "use");

  /** Subresources that admission sees as the CONNECT operation. */
  public static final Set<String> CONNECT_SUBRESOURCES = Set.of("exec", "attach", "portforward", "proxy");

  /** The longest accepted {@code maxAuthAge}. */
  public static final Duration MAX_AUTH_AGE_LIMIT = Duration.ofHours(24);

  public static final int MAX_STEP_UP_HINT_LENGTH = 1024;

  private static final Set<String> SELECTOR_OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  private MfaPolicyValidator() {
  }

  /** All errors and warnings of {@code spec}, with paths rooted at {@code spec}. */
  public static ValidationResult validate(MfaPolicySpec spec) {
    Collector out = new Collector();
    if (spec == null) {
      out.error("spec", "is required");
      return out.result();
    }
    validateMatch(spec.match(), out);
    validateRequire(spec.require(), out);
    String hint = spec.stepUpHint();
    if (hint != null) {
      if (hint.length() > MAX_STEP_UP_HINT_LENGTH) {
        out.error("spec.stepUpHint", "must be at most " + MAX_STEP_UP_HINT_LENGTH + " characters");
      }
      if (hasControlCharacter(hint)) {
        out.error("spec.stepUpHint", "must be a single line without control characters");
      }
      if (hint.isBlank()) {
        out.warning("spec.stepUpHint", "is blank; the default hint is shown instead");
      }
    }
    return out.result();
  }

  private static void validateMatch(Match match, Collector out) {
    if (match == null) {
      out.error("spec.match", "is required");
      return;
    }
    if (match.rules().isEmpty()) {
      out.error("spec.match.rules", "must contain at least one rule");
    }
    for (int i = 0; i < match.rules().size(); i++) {
      validateRule(match.rules().get(i), "spec.match.rules[" + i + "]", out);
    }
    validateSelector(match.namespaceSelector(), "spec.match.namespaceSelector", out);
    validateSubjects(match.subjects(), "spec.match.subjects", out);
  }

  private static void validateRule(MatchRule rule, String path, Collector out) {
    if (rule == null) {
      out.error(path, "must not be null");
      return;
    }
    if (rule.apiGroups().isEmpty()) {
      out.error(path + ".apiGroups", "must name at least one API group (\"\" is the core group, \"*\" all groups)");
    }
    for (int i = 0; i < rule.apiGroups().size(); i++) {
      String group = rule.apiGroups().get(i);
      if (group == null || !group.equals(group.strip()) || group.contains("/")) {
        out.error(path + ".apiGroups[" + i + "]", "must be an API group name without version, e.g. \"apps\"");
      }
    }
    warnIfWildcardAmongOthers(rule.apiGroups(), path + ".apiGroups", out);

    if (rule.resources().isEmpty()) {
      out.error(path + ".resources", "must name at least one resource");
    }
    for (int i = 0; i < rule.resources().size(); i++) {
      String resource = rule.resources().get(i);
      if (!isResourcePattern(resource)) {
        out.error(path + ".resources[" + i + "]", "must be \"resource\" or \"resource/subresource\" in lower case, "
            + "each part a name or \"*\", e.g. \"pods/exec\"; got " + quote(resource));
      }
    }
    if (rule.resources().size() > 1 && rule.resources().contains("*/*")) {
      out.warning(path + ".resources", "\"*/*\" already matches every resource and subresource; the other entries "
          + "are redundant");
    }

    if (rule.verbs().isEmpty()) {
      out.error(path + ".verbs", "must name at least one verb");
    }
    for (int i = 0; i < rule.verbs().size(); i++) {
      String verb = rule.verbs().get(i);
      String at = path + ".verbs[" + i + "]";
      if (verb == null || verb.isEmpty()) {
        out.error(at, "must not be empty");
      } else if (verb.equals("*")) {
        continue;
      } else if (!verb.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
        out.error(at, "must be a lower-case Kubernetes verb such as create or connect (not an admission "
            + "operation like CONNECT); got " + quote(verb));
      } else if (!KUBERNETES_VERBS.contains(verb)) {
        out.warning(at, quote(verb) + " is not a verb Kubernetes uses; it only matches requests with exactly "
            + "this verb");
      }
    }
    warnIfWildcardAmongOthers(rule.verbs(), path + ".verbs", out);

    boolean connectCovered = rule.verbs().contains("*") || rule.verbs().contains("connect");
    if (!connectCovered) {
      for (int i = 0; i < rule.resources().size(); i++) {
        String resource = rule.resources().get(i);
        int slash = resource == null ? -1 : resource.indexOf('/');
        if (slash > 0 && CONNECT_SUBRESOURCES.contains(resource.substring(slash + 1))) {
          out.warning(path + ".resources[" + i + "]", "admission sees " + resource + " as CONNECT; add the "
              + "\"connect\" verb (or \"*\") or only the authorization webhook enforces this rule");
        }
      }
    }
  }

  /** Kubernetes admission rule resource syntax: {@code name}, {@code name/sub}, with {@code *} for either part. */
  static boolean isResourcePattern(String resource) {
    if (resource == null || resource.isEmpty()) {
      return false;
    }
    int slash = resource.indexOf('/');
    if (slash < 0) {
      return isResourcePart(resource);
    }
    return isResourcePart(resource.substring(0, slash)) && isResourcePart(resource.substring(slash + 1));
  }

  private static boolean isResourcePart(String part) {
    if (part.equals("*")) {
      return true;
    }
    if (part.isEmpty() || !isAlnum(part.charAt(0)) || !isAlnum(part.charAt(part.length() - 1))) {
      return false;
    }
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (!isAlnum(c) && c != '-' && c != '.') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  private static void warnIfWildcardAmongOthers(List<String> values, String path, Collector out) {
    if (values.size() > 1 && values.contains("*")) {
      out.warning(path, "\"*\" already matches everything; the other entries are redundant");
    }
  }

  private static void validateSelector(LabelSelector selector, String path, Collector out) {
    if (selector == null) {
      return;
    }
    Map<String, String> labels = selector.getMatchLabels();
    if (labels != null) {
      labels.forEach((key, value) -> {
        if (key == null || key.isEmpty()) {
          out.error(path + ".matchLabels", "keys must not be empty");
        }
        if (value == null) {
          out.error(path + ".matchLabels[" + key + "]", "must not be null");
        }
      });
    }
    List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
    if (expressions == null) {
      return;
    }
    for (int i = 0; i < expressions.size(); i++) {
      LabelSelectorRequirement requirement = expressions.get(i);
      String at = path + ".matchExpressions[" + i + "]";
      if (requirement == null) {
        out.error(at, "must not be null");
        continue;
      }
      if (requirement.getKey() == null || requirement.getKey().isEmpty()) {
        out.error(at + ".key", "is required");
      }
      String operator = requirement.getOperator();
      List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
      if (!SELECTOR_OPERATORS.contains(operator)) {
        out.error(at + ".operator", "must be In, NotIn, Exists or DoesNotExist; got " + quote(operator));
      } else if ((operator.equals("In") || operator.equals("NotIn")) && values.isEmpty()) {
        out.error(at + ".values", "must not be empty for " + operator);
      } else if ((operator.equals("Exists") || operator.equals("DoesNotExist")) && !values.isEmpty()) {
        out.error(at + ".values", "must be empty for " + operator);
      }
    }
  }

  private static void validateSubjects(Subjects subjects, String path, Collector out) {
    checkNonEmptyEntries(subjects.users(), path + ".users", out);
    checkNonEmptyEntries(subjects.groups(), path + ".groups", out);
    checkNonEmptyEntries(subjects.excludeUsers(), path + ".excludeUsers", out);
    checkNonEmptyEntries(subjects.excludeGroups(), path + ".excludeGroups", out);
    if (!subjects.users().isEmpty() && subjects.groups().isEmpty()
        && subjects.excludeUsers().containsAll(subjects.users())) {
      out.warning(path + ".excludeUsers", "excludes every listed user; the policy matches no one");
    }
    if (!subjects.groups().isEmpty() && subjects.users().isEmpty()
        && subjects.excludeGroups().containsAll(subjects.groups())) {
      out.warning(path + ".excludeGroups", "excludes every listed group; the policy matches no one");
    }
  }

  private static void validateRequire(Require require, Collector out) {
    if (require == null) {
      out.error("spec.require", "is required");
      return;
    }
    if (require.amr() == null && require.acr().isEmpty() && require.maxAuthAge() == null
        && require.issuers().isEmpty()) {
      out.error("spec.require", "needs at least one of amr, acr, maxAuthAge or issuers");
    }
    validateAmr(require.amr(), out);
    checkNonEmptyEntries(require.acr(), "spec.require.acr", out);
    warnDuplicates(require.acr(), "spec.require.acr", out);
    if (require.maxAuthAge() != null) {
      validateMaxAuthAge(require.maxAuthAge(), out);
    }
    checkNonEmptyEntries(require.issuers(), "spec.require.issuers", out);
    warnDuplicates(require.issuers(), "spec.require.issuers", out);
    for (int i = 0; i < require.issuers().size(); i++) {
      String issuer = require.issuers().get(i);
      if (issuer != null && !issuer.isEmpty() && !issuer.startsWith("https://")) {
        out.warning("spec.require.issuers[" + i + "]", "OIDC issuers are https URLs; " + quote(issuer)
            + " will only match tokens whose iss is exactly this string");
      }
    }
  }

  private static void validateAmr(AmrRequirement amr, Collector out) {
    if (amr == null) {
      return;
    }
    List<List<String>> sets = amr.anyOf();
    if (sets.isEmpty()) {
      out.error("spec.require.amr.anyOf", "must contain at least one set of amr values");
      return;
    }
    List<Set<String>> seen = new ArrayList<>();
    for (int i = 0; i < sets.size(); i++) {
      List<String> set = sets.get(i);
      String at = "spec.require.amr.anyOf[" + i + "]";
      if (set.isEmpty()) {
        out.error(at, "must name at least one amr value (an empty set would accept any token)");
        continue;
      }
      if (set.size() > 8) {
        out.error(at, "must name at most 8 amr values");
      }
      Set<String> values = new HashSet<>();
      for (int j = 0; j < set.size(); j++) {
        String value = set.get(j);
        String valueAt = at + "[" + j + "]";
        if (value == null || value.isEmpty()) {
          out.error(valueAt, "must not be empty");
        } else if (!values.add(value)) {
          out.warning(valueAt, quote(value) + " appears twice in this set");
        } else if (!RFC8176_AMR.contains(value)) {
          out.warning(valueAt, quote(value) + " is not an RFC 8176 amr value; it only matches tokens whose amr "
              + "carries exactly this string");
        }
      }
      for (int k = 0; k < seen.size(); k++) {
        Set<String> earlier = seen.get(k);
        if (earlier.equals(values)) {
          out.warning(at, "duplicates anyOf[" + k + "]");
        } else if (values.containsAll(earlier)) {
          out.warning(at, "is redundant: anyOf[" + k + "] already accepts every token this set accepts");
        } else if (earlier.containsAll(values)) {
          out.warning("spec.require.amr.anyOf[" + k + "]", "is redundant: anyOf[" + i
              + "] already accepts every token this set accepts");
        }
      }
      seen.add(values);
    }
  }

  private static void validateMaxAuthAge(String text, Collector out) {
    var parsed = GoDuration.parse(text);
    if (parsed.isEmpty()) {
      out.error("spec.require.maxAuthAge", "must be a duration such as 15m, 1h or 1h30m (units h, m, s); got "
          + quote(text));
      return;
    }
    Duration age = parsed.get();
    if (age.isZero()) {
      out.error("spec.require.maxAuthAge", "must be more than 0s");
    } else if (age.compareTo(MAX_AUTH_AGE_LIMIT) > 0) {
      out.error("spec.require.maxAuthAge", "must be at most 24h; got " + text);
    } else if (age.compareTo(Duration.ofMinutes(1)) < 0) {
      out.warning("spec.require.maxAuthAge", "is under a minute; few users can complete a request that soon "
          + "after logging in");
    }
  }

  private static void checkNonEmptyEntries(List<String> values, String path, Collector out) {
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      if (value == null || value.isEmpty()) {
        out.error(path + "[" + i + "]", "must not be empty");
      }
    }
  }

  private static void warnDuplicates(List<String> values, String path, Collector out) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) != null && !seen.add(values.get(i))) {
        out.warning(path + "[" + i + "]", quote(values.get(i)) + " is listed twice");
      }
    }
  }

  /** C0 and C1 controls, DEL, and the Unicode line and paragraph separators: what the CRD's CEL rule rejects. */
  static boolean hasControlCharacter(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
        return true;
      }
    }
    return false;
  }

  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length() && i < 100; i++) {
      char c = value.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    if (value.length() > 100) {
      out.append("...");
    }
    return out.append('"').toString();
  }

  private static final class Collector {
    private final List<FieldError> errors = new ArrayList<>();
    private final List<FieldError> warnings = new ArrayList<>();

    void error(String path, String message) {
      errors.add(new FieldError(path, message));
    }

    void warning(String path, String message) {
      warnings.add(new FieldError(path, message));
    }

    ValidationResult result() {
      return errors.isEmpty() && warnings.isEmpty() ? ValidationResult.OK : new ValidationResult(errors, warnings);
    }
  }
}
