package dev.twofold.api;

import dev.twofold.api.policy.Compilation;
import dev.twofold.api.policy.CompiledPolicy;
import dev.twofold.api.policy.Evidence;
import dev.twofold.api.policy.RequestAttributes;
import dev.twofold.api.v1alpha1.AmrRequirement;
import dev.twofold.api.v1alpha1.Enforcement;
import dev.twofold.api.v1alpha1.Match;
import dev.twofold.api.v1alpha1.MatchRule;
import dev.twofold.api.v1alpha1.MfaPolicySpec;
import dev.twofold.api.v1alpha1.Require;
import dev.twofold.api.v1alpha1.Subjects;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Terse builders for test tables. Lists are written as comma-separated strings: {@code "get,list"}. */
public final class Fixtures {

  /** The fixed clock of every decision test. */
  public static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  public static final String IDP = "https://idp.example.com";

  private Fixtures() {
  }

  /** {@code "a,b"} → [a, b]; {@code ""} → [""] (the core group); {@code null} → []. */
  public static List<String> csv(String values) {
    if (values == null) {
      return List.of();
    }
    return Arrays.stream(values.split(",", -1)).map(String::strip).toList();
  }

  public static MatchRule rule(String apiGroups, String resources, String verbs) {
    return new MatchRule(csv(apiGroups), csv(resources), csv(verbs));
  }

  /** [["otp","pwd"],["hwk"]] from "otp pwd|hwk". */
  public static AmrRequirement amr(String sets) {
    return new AmrRequirement(Arrays.stream(sets.split("\\|", -1))
        .map(s -> s.isBlank() ? List.<String>of() : List.of(s.strip().split(" +"))).toList());
  }

  /** The full requirement used by most decision tests. */
  public static Require strictRequire() {
    return new Require(amr("otp pwd|hwk"), List.of("phr", "phrh"), "15m", List.of(IDP));
  }

  public static MfaPolicySpec spec(Enforcement enforcement, List<MatchRule> rules, LabelSelector namespaces,
      Subjects subjects, Require require, String hint) {
    return new MfaPolicySpec(enforcement, new Match(rules, namespaces, subjects), require, hint);
  }

  /** An Enforce policy on exec/attach for everyone, requiring {@link #strictRequire()}. */
  public static MfaPolicySpec execSpec() {
    return spec(Enforcement.ENFORCE, List.of(rule("", "pods/exec,pods/attach", "*")), null, null, strictRequire(),
        "kubectl oidc-login get-token --force-refresh");
  }

  public static CompiledPolicy compile(String name, MfaPolicySpec spec) {
    Compilation compilation = CompiledPolicy.compile(name, spec);
    if (compilation instanceof Compilation.Compiled compiled) {
      return compiled.policy();
    }
    throw new AssertionError("policy " + name + " did not compile: " + compilation.validation().errorSummary());
  }

  public static RequestAttributes request(String user, String groups, String verb, String apiGroup, String resource,
      String subresource, String namespace) {
    return new RequestAttributes(user, csv(groups), verb, apiGroup, resource, subresource, namespace, Map.of(),
        "web-0");
  }

  /** alice (oidc:devs) doing {@code verb} on pods/exec in namespace demo. */
  public static RequestAttributes aliceExec(String verb) {
    return request("alice", "oidc:devs,system:authenticated", verb, "", "pods", "exec", "demo");
  }

  /** The evidence of a fresh, strong login that satisfies {@link #strictRequire()}. */
  public static Map<String, List<String>> strongExtra() {
    Map<String, List<String>> extra = new HashMap<>();
    extra.put(Evidence.AMR, List.of("pwd", "otp"));
    extra.put(Evidence.ACR, List.of("phr"));
    extra.put(Evidence.AUTH_TIME, List.of(epoch(NOW.minusSeconds(300))));
    extra.put(Evidence.ISS, List.of(IDP));
    return extra;
  }

  public static String epoch(Instant instant) {
    return Long.toString(instant.getEpochSecond());
  }
}
