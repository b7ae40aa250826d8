package dev.twofold.api.policy;

import static dev.twofold.api.Fixtures.NOW;
import static dev.twofold.api.Fixtures.compile;
import static dev.twofold.api.Fixtures.csv;
import static dev.twofold.api.Fixtures.rule;
import static dev.twofold.api.Fixtures.spec;
import static dev.twofold.api.Fixtures.strictRequire;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.v1alpha1.Enforcement;
import dev.twofold.api.v1alpha1.Subjects;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link CompiledPolicy#matches}: rules, subjects and namespaces, as Kubernetes admission would match them. */
class MatchingTest {

  private static final String SA_GROUPS = "system:serviceaccounts,system:serviceaccounts:ci,system:authenticated";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # case                                                  | users | groups | excludeUsers | excludeGroups | user | request groups | matches
      everyone: a human                                       | -     | -      | -     | -    | alice | oidc:devs,system:authenticated | true
      everyone: not a service account                         | -     | -      | -     | -    | system:serviceaccount:ci:deployer | SA_GROUPS | false
      everyone: not a service account even without its group  | -     | -      | -     | -    | system:serviceaccount:ci:deployer | - | false
      everyone: not a node                                    | -     | -      | -     | -    | system:node:n1 | system:nodes,system:authenticated | false
      everyone: not the controller manager                    | -     | -      | -     | -    | system:kube-controller-manager | system:authenticated | false
      everyone: not the scheduler                             | -     | -      | -     | -    | system:kube-scheduler | - | false
      everyone: not the API server's loopback client          | -     | -      | -     | -    | system:apiserver | system:masters | false
      everyone: system:masters humans are still in scope      | -     | -      | -     | -    | admin | system:masters,system:authenticated | true
      everyone: anyone in the node group is a node            | -     | -      | -     | -    | mallory | system:nodes | false
      system:authenticated does not pull service accounts in  | -     | system:authenticated | - | - | system:serviceaccount:ci:deployer | SA_GROUPS | false
      system:authenticated covers humans                      | -     | system:authenticated | - | - | alice | system:authenticated | true
      naming system:serviceaccounts brings them in            | -     | system:serviceaccounts | - | - | system:serviceaccount:ci:deployer | SA_GROUPS | true
      naming one namespace's service accounts brings them in  | -     | system:serviceaccounts:ci | - | - | system:serviceaccount:ci:deployer | SA_GROUPS | true
      naming one namespace's service accounts leaves others   | -     | system:serviceaccounts:ci | - | - | system:serviceaccount:prod:app | system:serviceaccounts,system:serviceaccounts:prod | false
      naming a service account user brings it in              | system:serviceaccount:ci:deployer | - | - | - | system:serviceaccount:ci:deployer | SA_GROUPS | true
      naming system:nodes brings nodes in                     | -     | system:nodes | - | - | system:node:n1 | system:nodes | true
      naming a kube component brings it in                    | system:kube-scheduler | - | - | - | system:kube-scheduler | - | true
      a listed group matches its members                      | -     | oidc:admins | - | - | alice | oidc:devs,oidc:admins | true
      a listed group leaves others out                        | -     | oidc:admins | - | - | bob | oidc:devs | false
      a listed user matches                                   | bob   | oidc:admins | - | - | bob | oidc:devs | true
      excludeUsers wins over everyone                         | -     | -      | alice | -    | alice | oidc:devs | false
      excludeUsers leaves the others                          | -     | -      | alice | -    | bob | oidc:devs | true
      excludeGroups wins over everyone                        | -     | -      | -     | oidc:breakglass | alice | oidc:devs,oidc:breakglass | false
      excludeUsers wins over a listed group                   | -     | oidc:admins | alice | - | alice | oidc:admins | false
      excludeGroups wins over an explicitly named system group| -     | system:serviceaccounts | - | system:serviceaccounts:kube-system | system:serviceaccount:kube-system:x | system:serviceaccounts,system:serviceaccounts:kube-system | false
      """)
  @DisplayName("subjects: include, exclude, and system identities only when named")
  void subjects(String description, String users, String groups, String excludeUsers, String excludeGroups,
      String user, String requestGroups, boolean matches) {
    Subjects subjects = new Subjects(csv(users), csv(groups), csv(excludeUsers), csv(excludeGroups));
    CompiledPolicy policy = compile("p", spec(Enforcement.ENFORCE, List.of(rule("", "pods/exec", "*")), null,
        subjects, strictRequire(), null));
    String resolvedGroups = "SA_GROUPS".equals(requestGroups) ? SA_GROUPS : requestGroups;

    var request = new RequestAttributes(user, csv(resolvedGroups), "create", "", "pods", "exec", "demo", Map.of(),
        "web-0");

    assertThat(policy.matches(request)).isEqualTo(matches);
  }

  static LabelSelector selector(Map<String, String> labels, LabelSelectorRequirement... expressions) {
    return new LabelSelector(List.of(expressions), labels);
  }

  static LabelSelectorRequirement expr(String key, String operator, String... values) {
    return new LabelSelectorRequirement(key, operator, List.of(values));
  }

  static Map<String, String> labels(String... keyValues) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      out.put(keyValues[i], keyValues[i + 1]);
    }
    return out;
  }

  static Stream<Arguments> namespaces() {
    List<Arguments> cases = new ArrayList<>();
    LabelSelector prod = selector(labels("env", "prod"));
    cases.add(Arguments.of("matchLabels: the label with that value", prod, "demo", labels("env", "prod"), true));
    cases.add(Arguments.of("matchLabels: another value", prod, "demo", labels("env", "dev"), false));
    cases.add(Arguments.of("matchLabels: label absent", prod, "demo", labels(), false));
    cases.add(Arguments.of("matchLabels: cluster-scoped requests are always in scope", prod, "", labels(), true));
    LabelSelector in = selector(null, expr("env", "In", "prod", "staging"));
    cases.add(Arguments.of("In: one of the values", in, "demo", labels("env", "staging"), true));
    cases.add(Arguments.of("In: another value", in, "demo", labels("env", "dev"), false));
    cases.add(Arguments.of("In: label absent", in, "demo", labels(), false));
    LabelSelector notIn = selector(null, expr("env", "NotIn", "dev"));
    cases.add(Arguments.of("NotIn: another value", notIn, "demo", labels("env", "prod"), true));
    cases.add(Arguments.of("NotIn: an excluded value", notIn, "demo", labels("env", "dev"), false));
    cases.add(Arguments.of("NotIn: label absent", notIn, "demo", labels(), true));
    LabelSelector exists = selector(null, expr("team", "Exists"));
    cases.add(Arguments.of("Exists: present with any value", exists, "demo", labels("team", ""), true));
    cases.add(Arguments.of("Exists: absent", exists, "demo", labels("env", "prod"), false));
    LabelSelector doesNotExist = selector(null, expr("twofold.dev/exempt", "DoesNotExist"));
    cases.add(Arguments.of("DoesNotExist: absent", doesNotExist, "demo", labels("env", "prod"), true));
    cases.add(Arguments.of("DoesNotExist: present", doesNotExist, "demo", labels("twofold.dev/exempt", "true"), false));
    LabelSelector all = selector(labels("env", "prod"), expr("team", "Exists"), expr("tier", "NotIn", "sandbox"));
    cases.add(Arguments.of("all requirements hold", all, "demo", labels("env", "prod", "team", "a"), true));
    cases.add(Arguments.of("one requirement fails", all, "demo",
        labels("env", "prod", "team", "a", "tier", "sandbox"), false));
    cases.add(Arguments.of("an empty selector selects every namespace", new LabelSelector(), "demo", labels(), true));
    cases.add(Arguments.of("no selector selects every namespace", null, "demo", labels(), true));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("namespaces")
  @DisplayName("namespace selectors follow Kubernetes label selector semantics")
  void namespaces(String description, LabelSelector selector, String namespace, Map<String, String> namespaceLabels,
      boolean matches) {
    CompiledPolicy policy = compile("p", spec(Enforcement.ENFORCE, List.of(rule("", "pods/exec,namespaces", "*")),
        selector, null, strictRequire(), null));
    var request = new RequestAttributes("alice", List.of(), "create", "", "pods", "exec", namespace, namespaceLabels,
        "web-0");

    assertThat(policy.matches(request)).isEqualTo(matches);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # case                                        | apiGroups | resources | verbs | verb | apiGroup | resource | subresource | matches
      pods/exec with * matches create               | ''   | pods/exec | *       | create  | ''   | pods       | exec        | true
      * verbs include connect                       | ''   | pods/exec | *       | connect | ''   | pods       | exec        | true
      connect matches connect                       | ''   | pods/exec | connect | connect | ''   | pods       | exec        | true
      connect does not match create                 | ''   | pods/exec | connect | create  | ''   | pods       | exec        | false
      pods/exec does not match pods                 | ''   | pods/exec | *       | create  | ''   | pods       | ''          | false
      pods does not match its subresources          | ''   | pods      | create  | create  | ''   | pods       | exec        | false
      pods matches pods                             | ''   | pods      | create  | create  | ''   | pods       | ''          | true
      pods/* matches every subresource of pods      | ''   | pods/*    | *       | create  | ''   | pods       | log         | true
      pods/* does not match pods itself             | ''   | pods/*    | *       | create  | ''   | pods       | ''          | false
      pods/* does not match other resources         | ''   | pods/*    | *       | create  | ''   | services   | proxy       | false
      */exec matches exec of any resource           | ''   | */exec    | *       | create  | ''   | pods       | exec        | true
      */exec does not match other subresources      | ''   | */exec    | *       | create  | ''   | pods       | attach      | false
      * matches every resource                      | ''   | *         | get     | get     | ''   | secrets    | ''          | true
      * does not match subresources                 | ''   | *         | *       | create  | ''   | pods       | exec        | false
      */* matches subresources                      | ''   | */*       | *       | create  | ''   | pods       | exec        | true
      */* matches resources                         | ''   | */*       | *       | get     | ''   | secrets    | ''          | true
      the core group is not apps                    | ''   | *         | *       | create  | apps | deployments| ''          | false
      * groups match apps                           | *    | deployments | *     | create  | apps | deployments| ''          | true
      a named group matches                         | rbac.authorization.k8s.io | clusterrolebindings | create,update,patch,delete | patch | rbac.authorization.k8s.io | clusterrolebindings | '' | true
      a read of a write-only rule does not match    | rbac.authorization.k8s.io | clusterrolebindings | create,update,patch,delete | get | rbac.authorization.k8s.io | clusterrolebindings | '' | false
      patch also covers admission's update          | ''   | configmaps | patch  | update  | ''   | configmaps | ''          | true
      deletecollection covers admission's delete    | ''   | configmaps | deletecollection | delete | '' | configmaps | '' | true
      update alone does not cover delete            | ''   | configmaps | update | delete  | ''   | configmaps | ''          | false
      impersonating users is an ordinary rule       | ''   | users,groups | impersonate | impersonate | '' | users   | ''          | true
      impersonating extras via userextras/*         | ''   | userextras/* | impersonate | impersonate | '' | userextras | twofold.dev/amr | true
      non-resource requests never match             | *    | */*       | *       | get     | ''   | ''         | ''          | false
      """)
  @DisplayName("rules match like Kubernetes admission rules")
  void rules(String description, String apiGroups, String resources, String verbs, String verb, String apiGroup,
      String resource, String subresource, boolean matches) {
    CompiledPolicy policy = compile("p", spec(Enforcement.ENFORCE, List.of(rule(apiGroups, resources, verbs)), null,
        null, strictRequire(), null));
    var request = new RequestAttributes("alice", List.of(), verb, apiGroup, resource, subresource, "demo", Map.of(),
        "x");

    assertThat(policy.matches(request)).isEqualTo(matches);
    assertThat(PolicySet.of(List.of(policy)).evaluate(request, Evidence.NONE, NOW).allowed())
        .as("the resource index agrees").isEqualTo(!matches);
  }
}
