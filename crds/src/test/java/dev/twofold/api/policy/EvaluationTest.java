package dev.twofold.api.policy;

import static dev.twofold.api.Fixtures.IDP;
import static dev.twofold.api.Fixtures.NOW;
import static dev.twofold.api.Fixtures.aliceExec;
import static dev.twofold.api.Fixtures.amr;
import static dev.twofold.api.Fixtures.compile;
import static dev.twofold.api.Fixtures.epoch;
import static dev.twofold.api.Fixtures.execSpec;
import static dev.twofold.api.Fixtures.request;
import static dev.twofold.api.Fixtures.rule;
import static dev.twofold.api.Fixtures.spec;
import static dev.twofold.api.Fixtures.strongExtra;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.policy.Decision.Allow;
import dev.twofold.api.policy.Decision.AllowReason;
import dev.twofold.api.policy.Decision.AuditWarn;
import dev.twofold.api.policy.Decision.Deny;
import dev.twofold.api.v1alpha1.Enforcement;
import dev.twofold.api.v1alpha1.MfaPolicySpec;
import dev.twofold.api.v1alpha1.Require;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link PolicySet#evaluate}: which evidence satisfies what, and the exact texts users see. */
class EvaluationTest {

  private static final String PREFIX = "Twofold: MfaPolicy \"exec-needs-mfa\" requires a second factor for create "
      + "pods/exec in namespace demo: ";
  private static final String HINT = " Step up: kubectl oidc-login get-token --force-refresh";

  private static final PolicySet EXEC = PolicySet.of(List.of(compile("exec-needs-mfa", execSpec())));

  /** One evidence entry in one state, and what the denial says about it ({@code null}: nothing, it is fine). */
  enum State { OK, ABSENT, WRONG, MALFORMED }

  private static void put(Map<String, List<String>> extra, String key, State state, List<String> ok,
      List<String> wrong, List<String> malformed) {
    switch (state) {
      case OK -> extra.put(key, ok);
      case ABSENT -> extra.remove(key);
      case WRONG -> extra.put(key, wrong);
      case MALFORMED -> extra.put(key, malformed);
    }
  }

  private static String amrText(State state) {
    return switch (state) {
      case OK -> null;
      case ABSENT -> "amr absent, need one of [[otp, pwd], [hwk]]";
      case WRONG -> "amr [pwd] satisfies none of [[otp, pwd], [hwk]]";
      case MALFORMED -> "twofold.dev/amr malformed: value \"pwd otp\" is not a single amr value (the claim must be "
          + "mapped as a list)";
    };
  }

  private static String acrText(State state) {
    return switch (state) {
      case OK -> null;
      case ABSENT -> "acr absent, need one of [phr, phrh]";
      case WRONG -> "acr \"1\" is not one of [phr, phrh]";
      case MALFORMED -> "twofold.dev/acr malformed: has 2 values, expected one";
    };
  }

  private static String authTimeText(State state) {
    return switch (state) {
      case OK -> null;
      case ABSENT -> "auth_time absent, need authentication within 15m";
      case WRONG -> "auth_time 47m ago exceeds maxAuthAge 15m by 32m";
      case MALFORMED -> "twofold.dev/auth-time malformed: \"1.7e+09\" is not epoch seconds (a decimal integer)";
    };
  }

  private static String issuerText(State state) {
    return switch (state) {
      case OK -> null;
      case ABSENT -> "issuer absent, need one of [https://idp.example.com]";
      case WRONG -> "issuer \"https://evil.example.com\" is not one of [https://idp.example.com]";
      case MALFORMED -> "twofold.dev/iss malformed: is empty";
    };
  }

  static Stream<Arguments> everyEvidenceCombination() {
    List<Arguments> cases = new ArrayList<>();
    for (State amr : State.values()) {
      for (State acr : State.values()) {
        for (State authTime : State.values()) {
          for (State iss : State.values()) {
            cases.add(Arguments.of(amr, acr, authTime, iss));
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "amr {0}, acr {1}, auth_time {2}, issuer {3}")
  @MethodSource("everyEvidenceCombination")
  @DisplayName("every combination of amr, acr, auth_time and issuer evidence gets the exact denial it deserves")
  void everyEvidenceCombination(State amr, State acr, State authTime, State iss) {
    Map<String, List<String>> extra = new HashMap<>();
    put(extra, Evidence.AMR, amr, List.of("otp", "pwd"), List.of("pwd"), List.of("pwd otp"));
    put(extra, Evidence.ACR, acr, List.of("phrh"), List.of("1"), List.of("phr", "phrh"));
    put(extra, Evidence.AUTH_TIME, authTime, List.of(epoch(NOW.minusSeconds(60))),
        List.of(epoch(NOW.minus(Duration.ofMinutes(47)))), List.of("1.7e+09"));
    put(extra, Evidence.ISS, iss, List.of(IDP), List.of("https://evil.example.com"), List.of(""));

    Decision decision = EXEC.evaluate(aliceExec("create"), Evidence.fromUserExtra(extra), NOW);

    List<String> expected = Stream.of(amrText(amr), acrText(acr), authTimeText(authTime), issuerText(iss))
        .filter(s -> s != null).toList();
    if (expected.isEmpty()) {
      assertThat(decision).isEqualTo(new Allow(AllowReason.ALL_SATISFIED, List.of("exec-needs-mfa")));
    } else {
      assertThat(decision).isInstanceOfSatisfying(Deny.class, deny -> {
        assertThat(deny.message()).isEqualTo(PREFIX + String.join("; ", expected) + "." + HINT);
        assertThat(deny.missing()).extracting(Missing::describe).containsExactlyElementsOf(expected);
        assertThat(deny.policyName()).isEqualTo("exec-needs-mfa");
        assertThat(deny.stepUpHint()).isEqualTo("kubectl oidc-login get-token --force-refresh");
        assertThat(deny.alsoFailing()).isEmpty();
      });
    }
  }

  @Test
  @DisplayName("a password-only login is denied with the documented message, word for word")
  void passwordOnlyDenial() {
    Map<String, List<String>> extra = strongExtra();
    extra.put(Evidence.AMR, List.of("pwd"));

    Decision decision = EXEC.evaluate(aliceExec("create"), Evidence.fromUserExtra(extra), NOW);

    assertThat(decision).isEqualTo(new Deny("exec-needs-mfa",
        List.of(new Missing.AmrNotSatisfied(List.of("pwd"), List.of(List.of("otp", "pwd"), List.of("hwk")))),
        "Twofold: MfaPolicy \"exec-needs-mfa\" requires a second factor for create pods/exec in namespace demo: "
            + "amr [pwd] satisfies none of [[otp, pwd], [hwk]]. Step up: kubectl oidc-login get-token --force-refresh",
        "kubectl oidc-login get-token --force-refresh", List.of()));
    assertThat(decision.allowed()).isFalse();
    assertThat(((Deny) decision).missing()).extracting(Missing::reason).containsExactly("AmrNotSatisfied");
  }

  @Test
  @DisplayName("a token with no evidence at all lists every requirement in order")
  void noEvidence() {
    Decision decision = EXEC.evaluate(aliceExec("connect"), Evidence.NONE, NOW);

    assertThat(decision).isInstanceOfSatisfying(Deny.class, deny -> assertThat(deny.message()).isEqualTo(
        "Twofold: MfaPolicy \"exec-needs-mfa\" requires a second factor for connect pods/exec in namespace demo: "
            + "amr absent, need one of [[otp, pwd], [hwk]]; acr absent, need one of [phr, phrh]; auth_time absent, "
            + "need authentication within 15m; issuer absent, need one of [https://idp.example.com]. "
            + "Step up: kubectl oidc-login get-token --force-refresh"));
  }

  @ParameterizedTest(name = "authenticated {0} before the request: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      0s      | allowed
      14m59s  | allowed
      15m     | allowed
      15m1s   | auth_time 15m1s ago exceeds maxAuthAge 15m by 1s
      2h      | auth_time 2h ago exceeds maxAuthAge 15m by 1h45m
      -59s    | allowed
      -60s    | allowed
      -61s    | twofold.dev/auth-time malformed: is 1m1s in the future
      -2h     | twofold.dev/auth-time malformed: is 2h in the future
      """)
  @DisplayName("freshness holds up to exactly maxAuthAge, and tolerates a minute of clock skew")
  void freshnessBoundary(String ago, String expected) {
    Duration age = ago.startsWith("-") ? Duration.parse("PT" + ago.substring(1).toUpperCase()).negated()
        : Duration.parse("PT" + ago.toUpperCase());
    Map<String, List<String>> extra = strongExtra();
    extra.put(Evidence.AUTH_TIME, List.of(epoch(NOW.minus(age))));

    Decision decision = EXEC.evaluate(aliceExec("create"), Evidence.fromUserExtra(extra), NOW);

    if (expected.equals("allowed")) {
      assertThat(decision).isInstanceOf(Allow.class);
    } else {
      assertThat(decision).isInstanceOfSatisfying(Deny.class,
          deny -> assertThat(deny.message()).isEqualTo(PREFIX + expected + "." + HINT));
    }
  }

  @Test
  @DisplayName("auth_time with a fraction of a second counts whole seconds")
  void fractionalAuthTime() {
    Map<String, List<String>> extra = strongExtra();
    extra.put(Evidence.AUTH_TIME, List.of(epoch(NOW.minus(Duration.ofMinutes(15))) + ".75"));

    assertThat(EXEC.evaluate(aliceExec("create"), Evidence.fromUserExtra(extra), NOW).allowed()).isTrue();
  }

  @Test
  @DisplayName("a malformed entry only fails the requirements that need it")
  void malformedEntryIsIgnoredWhenNotRequired() {
    PolicySet amrOnly = PolicySet.of(List.of(compile("amr-only", spec(Enforcement.ENFORCE,
        List.of(rule("", "pods/exec", "*")), null, null, new Require(amr("hwk"), null, null,
            null), null))));
    Map<String, List<String>> extra = new HashMap<>();
    extra.put(Evidence.AMR, List.of("hwk"));
    extra.put(Evidence.AUTH_TIME, List.of("yesterday"));
    extra.put(Evidence.ACR, List.of("a", "b"));

    assertThat(amrOnly.evaluate(aliceExec("create"), Evidence.fromUserExtra(extra), NOW))
        .isEqualTo(new Allow(AllowReason.ALL_SATISFIED, List.of("amr-only")));
  }

  @Test
  @DisplayName("without a stepUpHint the default hint is shown")
  void defaultHint() {
    MfaPolicySpec noHint = spec(Enforcement.ENFORCE, List.of(rule("", "secrets", "get")), null, null,
        new Require(amr("hwk"), null, null, null), null);
    PolicySet set = PolicySet.of(List.of(compile("secrets", noHint)));

    Decision decision = set.evaluate(request("alice", "", "get", "", "secrets", "", "demo"), Evidence.NONE, NOW);

    assertThat(decision).isInstanceOfSatisfying(Deny.class, deny -> assertThat(deny.message()).isEqualTo(
        "Twofold: MfaPolicy \"secrets\" requires a second factor for get secrets in namespace demo: amr absent, "
            + "need one of [[hwk]]. Step up: authenticate again with a second factor (get a fresh OIDC token, e.g. "
            + "with prompt=login or max_age=0) and retry"));
  }

  @Test
  @DisplayName("cluster-scoped requests in a named API group say so")
  void clusterScopedMessage() {
    MfaPolicySpec rbac = spec(Enforcement.ENFORCE,
        List.of(rule("rbac.authorization.k8s.io", "clusterrolebindings", "create,update,patch,delete")), null, null,
        new Require(amr("hwk"), null, null, null), "use your security key");
    PolicySet set = PolicySet.of(List.of(compile("rbac-writes", rbac)));

    Decision decision = set.evaluate(request("alice", "", "create", "rbac.authorization.k8s.io",
        "clusterrolebindings", "", ""), Evidence.fromUserExtra(Map.of(Evidence.AMR, List.of("pwd", "otp"))), NOW);

    assertThat(decision).isInstanceOfSatisfying(Deny.class, deny -> assertThat(deny.message()).isEqualTo(
        "Twofold: MfaPolicy \"rbac-writes\" requires a second factor for create "
            + "clusterrolebindings.rbac.authorization.k8s.io at cluster scope: amr [pwd, otp] satisfies none of "
            + "[[hwk]]. Step up: use your security key"));
  }

  @Test
  @DisplayName("newlines and other control characters from the request or token never reach the message")
  void messagesStayOnOneLine() {
    Map<String, List<String>> extra = strongExtra();
    extra.put(Evidence.ACR, List.of("phr\nX-Injected: 1"));
    extra.put(Evidence.ISS, List.of("https://idp.example.com\u2028evil"));
    var request = request("alice", "", "create\r", "", "pods", "exec", "demo\nnext-line\u0085");

    Decision decision = EXEC.evaluate(request, Evidence.fromUserExtra(extra), NOW);

    assertThat(decision).isInstanceOfSatisfying(Deny.class, deny -> {
      assertThat(deny.message()).isEqualTo("Twofold: MfaPolicy \"exec-needs-mfa\" requires a second factor for "
          + "create? pods/exec in namespace demo?next-line?: acr \"phr?X-Injected: 1\" is not one of [phr, phrh]; "
          + "issuer \"https://idp.example.com?evil\" is not one of [https://idp.example.com]." + HINT);
      assertThat(deny.message()).doesNotContain("\n", "\r", "\u2028", "\u0085");
    });
  }

  @Test
  @DisplayName("very long token values are cut, so a message stays bounded")
  void longValuesAreCut() {
    Map<String, List<String>> extra = strongExtra();
    extra.put(Evidence.ACR, List.of("a".repeat(500)));

    Decision decision = EXEC.evaluate(aliceExec("create"), Evidence.fromUserExtra(extra), NOW);

    assertThat(decision).isInstanceOfSatisfying(Deny.class, deny -> assertThat(deny.message())
        .contains("acr \"" + "a".repeat(128) + "...\" is not one of [phr, phrh]")
        .hasSizeLessThan(400));
  }

  // --- enforcement modes and several policies ---

  private static MfaPolicySpec execWith(Enforcement enforcement, String amrSets) {
    return spec(enforcement, List.of(rule("", "pods/exec", "*")), null, null,
        new Require(amr(amrSets), null, null, null), "hint for " + amrSets);
  }

  static Stream<Arguments> modes() {
    return Stream.of(
        Arguments.of("an Enforce policy that is not met denies", Enforcement.ENFORCE, "pwd",
            "Deny: Twofold: MfaPolicy \"p\" requires a second factor for create pods/exec in namespace demo: "
                + "amr [pwd] satisfies none of [[hwk]]. Step up: hint for hwk"),
        Arguments.of("an Audit policy that is not met allows with a warning", Enforcement.AUDIT, "pwd",
            "AuditWarn: Twofold audit: MfaPolicy \"p\" would deny create pods/exec in namespace demo: "
                + "amr [pwd] satisfies none of [[hwk]]."),
        Arguments.of("a Disabled policy never matches", Enforcement.DISABLED, "pwd", "Allow: NO_POLICY_MATCHED []"),
        Arguments.of("an Enforce policy that is met allows", Enforcement.ENFORCE, "hwk", "Allow: ALL_SATISFIED [p]"),
        Arguments.of("an Audit policy that is met allows silently", Enforcement.AUDIT, "hwk",
            "Allow: ALL_SATISFIED [p]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  @DisplayName("Enforce, Audit and Disabled")
  void modes(String description, Enforcement enforcement, String amr, String expected) {
    PolicySet set = PolicySet.of(List.of(compile("p", execWith(enforcement, "hwk"))));

    Decision decision = set.evaluate(aliceExec("create"),
        Evidence.fromUserExtra(Map.of(Evidence.AMR, List.of(amr))), NOW);

    assertThat(render(decision)).isEqualTo(expected);
  }

  private static String render(Decision decision) {
    return switch (decision) {
      case Deny deny -> "Deny: " + deny.message();
      case AuditWarn warn -> "AuditWarn: " + warn.message();
      case Allow allow -> "Allow: " + allow.reason() + " " + allow.satisfiedPolicies();
    };
  }

  static Stream<Arguments> severalPolicies() {
    return Stream.of(
        Arguments.of("the first failing Enforce policy by name speaks, the others are listed",
            List.of("c-enforce:ENFORCE:mfa", "b-enforce:ENFORCE:otp", "a-audit:AUDIT:hwk", "d-enforce:ENFORCE:pwd"),
            "Deny: Twofold: MfaPolicy \"b-enforce\" requires a second factor for create pods/exec in namespace demo: "
                + "amr [pwd] satisfies none of [[otp]]. Also failing: MfaPolicy \"c-enforce\". Step up: hint for otp"),
        Arguments.of("three failing Enforce policies are all named, in name order",
            List.of("z:ENFORCE:hwk", "y:ENFORCE:otp", "x:ENFORCE:mfa"),
            "Deny: Twofold: MfaPolicy \"x\" requires a second factor for create pods/exec in namespace demo: "
                + "amr [pwd] satisfies none of [[mfa]]. Also failing: MfaPolicy \"y\", \"z\". Step up: hint for mfa"),
        Arguments.of("a failing Audit policy warns when every Enforce policy is met",
            List.of("b-audit:AUDIT:hwk", "a-enforce:ENFORCE:pwd", "c-audit:AUDIT:otp"),
            "AuditWarn: Twofold audit: MfaPolicy \"b-audit\" would deny create pods/exec in namespace demo: "
                + "amr [pwd] satisfies none of [[hwk]]. Also failing: MfaPolicy \"c-audit\"."),
        Arguments.of("met policies are reported in name order",
            List.of("b:ENFORCE:pwd", "a:AUDIT:pwd", "c:DISABLED:hwk"),
            "Allow: ALL_SATISFIED [a, b]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("severalPolicies")
  @DisplayName("several matching policies decide deterministically")
  void severalPolicies(String description, List<String> policies, String expected) {
    PolicySet set = PolicySet.of(policies.stream().map(p -> {
      String[] parts = p.split(":");
      return compile(parts[0], execWith(Enforcement.valueOf(parts[1]), parts[2]));
    }).toList());

    Decision decision = set.evaluate(aliceExec("create"),
        Evidence.fromUserExtra(Map.of(Evidence.AMR, List.of("pwd"))), NOW);

    assertThat(render(decision)).isEqualTo(expected);
  }

  @Test
  @DisplayName("requests no policy covers are allowed without looking at evidence")
  void noPolicyMatched() {
    assertThat(EXEC.evaluate(request("alice", "", "get", "", "configmaps", "", "demo"), Evidence.NONE, NOW))
        .isSameAs(Allow.NO_POLICY_MATCHED);
    assertThat(PolicySet.empty().evaluate(aliceExec("create"), Evidence.NONE, NOW))
        .isSameAs(Allow.NO_POLICY_MATCHED);
  }

  @Test
  @DisplayName("a policy without amr checks only what it requires")
  void acrOnlyPolicy() {
    PolicySet set = PolicySet.of(List.of(compile("acr", spec(Enforcement.ENFORCE, List.of(rule("", "pods/exec", "*")),
        null, null, new Require(null, List.of("phrh"), null, null), null))));

    assertThat(set.evaluate(aliceExec("create"), Evidence.fromUserExtra(Map.of(Evidence.ACR, List.of("phrh"))), NOW)
        .allowed()).isTrue();
    assertThat(set.evaluate(aliceExec("create"), Evidence.fromUserExtra(Map.of(Evidence.ACR, List.of("phr"))), NOW)
        .allowed()).isFalse();
  }
}
