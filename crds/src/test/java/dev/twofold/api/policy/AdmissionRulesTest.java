package dev.twofold.api.policy;

import static dev.twofold.api.Fixtures.amr;
import static dev.twofold.api.Fixtures.compile;
import static dev.twofold.api.Fixtures.rule;
import static dev.twofold.api.Fixtures.spec;
import static dev.twofold.api.policy.AdmissionOperation.CONNECT;
import static dev.twofold.api.policy.AdmissionOperation.CREATE;
import static dev.twofold.api.policy.AdmissionOperation.DELETE;
import static dev.twofold.api.policy.AdmissionOperation.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.v1alpha1.Enforcement;
import dev.twofold.api.v1alpha1.MatchRule;
import dev.twofold.api.v1alpha1.Require;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link PolicySet#rulesForAdmission()}: what the ValidatingWebhookConfiguration must send to Twofold. */
class AdmissionRulesTest {

  private static final Require REQUIRE = new Require(amr("hwk"), null, null, null);

  private static CompiledPolicy policy(String name, Enforcement enforcement, MatchRule... rules) {
    return compile(name, spec(enforcement, List.of(rules), null, null, REQUIRE, null));
  }

  private static AdmissionRule admission(List<String> groups, List<String> resources, AdmissionOperation... ops) {
    return new AdmissionRule(groups, resources, List.of(ops));
  }

  static Stream<Arguments> verbs() {
    return Stream.of(
        Arguments.of("create", List.of(CREATE)),
        Arguments.of("update", List.of(UPDATE)),
        Arguments.of("patch", List.of(UPDATE)),
        Arguments.of("update,patch", List.of(UPDATE)),
        Arguments.of("delete", List.of(DELETE)),
        Arguments.of("deletecollection", List.of(DELETE)),
        Arguments.of("connect", List.of(CONNECT)),
        Arguments.of("*", List.of(CREATE, UPDATE, DELETE, CONNECT)),
        Arguments.of("get,list,watch", List.of()),
        Arguments.of("impersonate,escalate,bind", List.of()),
        Arguments.of("get,create,connect", List.of(CREATE, CONNECT)));
  }

  @ParameterizedTest(name = "verbs {0} become operations {1}")
  @MethodSource("verbs")
  @DisplayName("verbs map to admission operations; reads and authorization-only verbs to none")
  void verbs(String verbs, List<AdmissionOperation> operations) {
    PolicySet set = PolicySet.of(List.of(policy("p", Enforcement.ENFORCE, rule("", "pods/exec", verbs))));

    List<AdmissionRule> expected = operations.isEmpty() ? List.of()
        : List.of(new AdmissionRule(List.of(""), List.of("pods/exec"), operations));
    assertThat(set.rulesForAdmission()).isEqualTo(expected);
  }

  @Test
  @DisplayName("the union over policies merges operations per resource and skips Disabled policies and reads")
  void union() {
    CompiledPolicy exec = policy("exec", Enforcement.ENFORCE,
        rule("", "pods/exec,pods/attach,pods/portforward", "*"),
        rule("", "secrets", "get,list,watch"));
    CompiledPolicy rbac = policy("rbac", Enforcement.AUDIT,
        rule("rbac.authorization.k8s.io", "clusterrolebindings,rolebindings", "create,update,patch,delete"),
        rule("", "pods/exec", "connect"));
    CompiledPolicy off = policy("off", Enforcement.DISABLED, rule("apps", "deployments", "*"));
    CompiledPolicy impersonation = policy("impersonation", Enforcement.ENFORCE, rule("", "users,groups",
        "impersonate"));

    PolicySet set = PolicySet.of(List.of(rbac, off, exec, impersonation));

    assertThat(set.rulesForAdmission()).containsExactly(
        admission(List.of(""), List.of("pods/attach", "pods/exec", "pods/portforward"), CREATE, UPDATE, DELETE,
            CONNECT),
        admission(List.of("rbac.authorization.k8s.io"), List.of("clusterrolebindings", "rolebindings"), CREATE,
            UPDATE, DELETE));
    assertThat(set.rulesForAdmission().get(0).allOperations()).isTrue();
    assertThat(set.rulesForAdmission().get(1).allOperations()).isFalse();
    assertThat(exec.rulesForAdmission()).hasSize(1);
    assertThat(rbac.rulesForAdmission()).containsExactly(
        admission(List.of(""), List.of("pods/exec"), CONNECT),
        admission(List.of("rbac.authorization.k8s.io"), List.of("clusterrolebindings", "rolebindings"), CREATE,
            UPDATE, DELETE));
    assertThat(off.rulesForAdmission()).isEmpty();
    assertThat(impersonation.rulesForAdmission()).isEmpty();
  }

  @Test
  @DisplayName("resources with different operations stay apart; groups with the same resources join")
  void grouping() {
    PolicySet set = PolicySet.of(List.of(
        policy("a", Enforcement.ENFORCE, rule("", "pods", "create"), rule("", "secrets", "create")),
        policy("b", Enforcement.ENFORCE, rule("", "pods", "delete")),
        policy("c", Enforcement.AUDIT, rule("apps", "secrets", "create"))));

    assertThat(set.rulesForAdmission()).containsExactly(
        admission(List.of(""), List.of("pods"), CREATE, DELETE),
        admission(List.of("", "apps"), List.of("secrets"), CREATE));
  }

  @Test
  @DisplayName("the result does not depend on the order policies arrive in")
  void deterministic() {
    CompiledPolicy a = policy("a", Enforcement.ENFORCE, rule("apps,", "deployments,*", "delete"));
    CompiledPolicy b = policy("b", Enforcement.ENFORCE, rule("batch", "jobs", "create,patch"));

    assertThat(PolicySet.of(List.of(a, b)).rulesForAdmission())
        .isEqualTo(PolicySet.of(List.of(b, a)).rulesForAdmission())
        .containsExactly(
            admission(List.of("", "apps"), List.of("*", "deployments"), DELETE),
            admission(List.of("batch"), List.of("jobs"), CREATE, UPDATE));
  }
}
