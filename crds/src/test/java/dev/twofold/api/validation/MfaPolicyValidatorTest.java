package dev.twofold.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.v1alpha1.MfaPolicySpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link MfaPolicyValidator}: specs are written as YAML (as users write them), and every expected error and warning
 * is spelled out with its path.
 */
class MfaPolicyValidatorTest {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private static final String RULES = """
      match:
        rules:
        - {apiGroups: [""], resources: ["pods/exec"], verbs: ["*"]}
      """;

  private static MfaPolicySpec spec(String yaml) {
    return YAML.unmarshal(yaml, MfaPolicySpec.class);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("the design's sample policy is valid", """
            enforcement: Enforce
            match:
              rules:
              - apiGroups: [""]
                resources: ["pods/exec", "pods/attach", "pods/portforward"]
                verbs: ["*"]
              - apiGroups: [""]
                resources: ["secrets"]
                verbs: ["get", "list", "watch"]
              namespaceSelector: {}
              subjects:
                groups: ["oidc:platform-admins"]
                excludeGroups: ["system:serviceaccounts", "system:nodes"]
            require:
              amr:
                anyOf: [["hwk"], ["otp", "pwd"], ["mfa"]]
              acr: ["phr", "phrh"]
              maxAuthAge: 15m
              issuers: ["https://idp.example.com/realms/prod"]
            stepUpHint: "kubectl oidc-login get-token --oidc-auth-request-extra-params=max_age=0"
            """, List.of(), List.of()),
        Arguments.of("match and require are required", "stepUpHint: x",
            List.of("spec.match: is required", "spec.require: is required"), List.of()),
        Arguments.of("a rule set must not be empty", "match: {rules: []}\nrequire: {acr: [x]}",
            List.of("spec.match.rules: must contain at least one rule"), List.of()),
        Arguments.of("rules need groups, resources and verbs", """
            match:
              rules:
              - {}
            require: {acr: [x]}
            """, List.of(
                "spec.match.rules[0].apiGroups: must name at least one API group (\"\" is the core group, \"*\" all "
                    + "groups)",
                "spec.match.rules[0].resources: must name at least one resource",
                "spec.match.rules[0].verbs: must name at least one verb"), List.of()),
        Arguments.of("resources and verbs use the Kubernetes syntax", """
            match:
              rules:
              - {apiGroups: ["apps/v1"], resources: ["Pods", "pods/", "a/b/c", "*/exec"], verbs: ["CONNECT", "fly"]}
            require: {acr: [x]}
            """, List.of(
                "spec.match.rules[0].apiGroups[0]: must be an API group name without version, e.g. \"apps\"",
                "spec.match.rules[0].resources[0]: must be \"resource\" or \"resource/subresource\" in lower case, "
                    + "each part a name or \"*\", e.g. \"pods/exec\"; got \"Pods\"",
                "spec.match.rules[0].resources[1]: must be \"resource\" or \"resource/subresource\" in lower case, "
                    + "each part a name or \"*\", e.g. \"pods/exec\"; got \"pods/\"",
                "spec.match.rules[0].resources[2]: must be \"resource\" or \"resource/subresource\" in lower case, "
                    + "each part a name or \"*\", e.g. \"pods/exec\"; got \"a/b/c\"",
                "spec.match.rules[0].verbs[0]: must be a lower-case Kubernetes verb such as create or connect (not "
                    + "an admission operation like CONNECT); got \"CONNECT\""),
            List.of("spec.match.rules[0].verbs[1]: \"fly\" is not a verb Kubernetes uses; it only matches requests "
                + "with exactly this verb",
                "spec.match.rules[0].resources[3]: admission sees */exec as CONNECT; add the \"connect\" verb (or "
                    + "\"*\") or only the authorization webhook enforces this rule")),
        Arguments.of("exec without connect is only enforced by authorization", """
            match:
              rules:
              - {apiGroups: [""], resources: ["pods/exec", "pods/log"], verbs: ["create"]}
            require: {acr: [x]}
            """, List.of(), List.of("spec.match.rules[0].resources[0]: admission sees pods/exec as CONNECT; add the "
                + "\"connect\" verb (or \"*\") or only the authorization webhook enforces this rule")),
        Arguments.of("a wildcard next to names is redundant", """
            match:
              rules:
              - {apiGroups: ["*", "apps"], resources: ["*"], verbs: ["*", "get"]}
            require: {acr: [x]}
            """, List.of(), List.of(
                "spec.match.rules[0].apiGroups: \"*\" already matches everything; the other entries are redundant",
                "spec.match.rules[0].verbs: \"*\" already matches everything; the other entries are redundant")),
        Arguments.of("label selector requirements must be well-formed", RULES + """
              namespaceSelector:
                matchExpressions:
                - {key: env, operator: In}
                - {key: team, operator: Exists, values: [a]}
                - {key: "", operator: Gt, values: ["1"]}
            require: {acr: [x]}
            """, List.of(
                "spec.match.namespaceSelector.matchExpressions[0].values: must not be empty for In",
                "spec.match.namespaceSelector.matchExpressions[1].values: must be empty for Exists",
                "spec.match.namespaceSelector.matchExpressions[2].key: is required",
                "spec.match.namespaceSelector.matchExpressions[2].operator: must be In, NotIn, Exists or "
                    + "DoesNotExist; got \"Gt\""), List.of()),
        Arguments.of("subject entries must not be empty, and exclusions that leave no one are flagged", RULES + """
              subjects: {users: [alice, ""], excludeUsers: [alice]}
            require: {acr: [x]}
            """, List.of("spec.match.subjects.users[1]: must not be empty"), List.of()),
        Arguments.of("excluding every listed group leaves no one", RULES + """
              subjects: {groups: [a, b], excludeGroups: [b, a]}
            require: {acr: [x]}
            """, List.of(), List.of("spec.match.subjects.excludeGroups: excludes every listed group; the policy "
                + "matches no one")),
        Arguments.of("at least one requirement", RULES + "require: {}",
            List.of("spec.require: needs at least one of amr, acr, maxAuthAge or issuers"), List.of()),
        Arguments.of("amr sets must not be empty", RULES + "require: {amr: {anyOf: [[hwk], []]}}",
            List.of("spec.require.amr.anyOf[1]: must name at least one amr value (an empty set would accept any "
                + "token)"), List.of()),
        Arguments.of("amr needs at least one set", RULES + "require: {amr: {anyOf: []}}",
            List.of("spec.require.amr.anyOf: must contain at least one set of amr values"), List.of()),
        Arguments.of("unknown, duplicate and redundant amr values are warnings", RULES
            + "require: {amr: {anyOf: [[otp, pwd], [totp], [pwd, otp], [otp, otp], [otp, pwd, hwk]]}}", List.of(),
            List.of(
                "spec.require.amr.anyOf[1][0]: \"totp\" is not an RFC 8176 amr value; it only matches tokens whose "
                    + "amr carries exactly this string",
                "spec.require.amr.anyOf[2]: duplicates anyOf[0]",
                "spec.require.amr.anyOf[3][1]: \"otp\" appears twice in this set",
                "spec.require.amr.anyOf[0]: is redundant: anyOf[3] already accepts every token this set accepts",
                "spec.require.amr.anyOf[2]: is redundant: anyOf[3] already accepts every token this set accepts",
                "spec.require.amr.anyOf[4]: is redundant: anyOf[0] already accepts every token this set accepts",
                "spec.require.amr.anyOf[4]: is redundant: anyOf[2] already accepts every token this set accepts",
                "spec.require.amr.anyOf[4]: is redundant: anyOf[3] already accepts every token this set accepts")),
        Arguments.of("maxAuthAge must parse", RULES + "require: {maxAuthAge: 1.5h}",
            List.of("spec.require.maxAuthAge: must be a duration such as 15m, 1h or 1h30m (units h, m, s); got "
                + "\"1.5h\""), List.of()),
        Arguments.of("maxAuthAge must be at most 24h", RULES + "require: {maxAuthAge: 24h1s}",
            List.of("spec.require.maxAuthAge: must be at most 24h; got 24h1s"), List.of()),
        Arguments.of("maxAuthAge may be exactly 24h", RULES + "require: {maxAuthAge: 24h}", List.of(), List.of()),
        Arguments.of("maxAuthAge must be positive", RULES + "require: {maxAuthAge: 0m}",
            List.of("spec.require.maxAuthAge: must be more than 0s"), List.of()),
        Arguments.of("a very short maxAuthAge is flagged", RULES + "require: {maxAuthAge: 30s}", List.of(),
            List.of("spec.require.maxAuthAge: is under a minute; few users can complete a request that soon after "
                + "logging in")),
        Arguments.of("acr and issuer entries are checked", RULES
            + "require: {acr: [phr, \"\", phr], issuers: [\"http://idp\", \"\"]}",
            List.of("spec.require.acr[1]: must not be empty", "spec.require.issuers[1]: must not be empty"),
            List.of("spec.require.acr[2]: \"phr\" is listed twice",
                "spec.require.issuers[0]: OIDC issuers are https URLs; \"http://idp\" will only match tokens whose "
                    + "iss is exactly this string")),
        Arguments.of("the hint must be one line", RULES + "require: {acr: [x]}\nstepUpHint: \"a\\nb\"",
            List.of("spec.stepUpHint: must be a single line without control characters"), List.of()),
        Arguments.of("the hint must not contain Unicode line separators", RULES
            + "require: {acr: [x]}\nstepUpHint: \"a\\u2028b\"",
            List.of("spec.stepUpHint: must be a single line without control characters"), List.of()),
        Arguments.of("*/* next to other resources is redundant, * is not (it leaves out subresources)", """
            match:
              rules:
              - {apiGroups: [""], resources: ["*", "pods/exec"], verbs: ["*"]}
              - {apiGroups: [""], resources: ["*/*", "pods/exec"], verbs: ["*"]}
            require: {acr: [x]}
            """, List.of(), List.of("spec.match.rules[1].resources: \"*/*\" already matches every resource and "
                + "subresource; the other entries are redundant")),
        Arguments.of("the hint has a length limit", RULES + "require: {acr: [x]}\nstepUpHint: " + "x".repeat(1025),
            List.of("spec.stepUpHint: must be at most 1024 characters"), List.of()),
        Arguments.of("a blank hint falls back to the default", RULES + "require: {acr: [x]}\nstepUpHint: \" \"",
            List.of(), List.of("spec.stepUpHint: is blank; the default hint is shown instead")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @DisplayName("validation reports every error and warning with its path")
  void validate(String description, String yaml, List<String> errors, List<String> warnings) {
    ValidationResult result = MfaPolicyValidator.validate(spec(yaml));

    assertThat(result.errors()).extracting(FieldError::toString).containsExactlyElementsOf(errors);
    assertThat(result.warnings()).extracting(FieldError::toString).containsExactlyElementsOf(warnings);
    assertThat(result.valid()).isEqualTo(errors.isEmpty());
  }

  @Test
  @DisplayName("a missing spec is one error")
  void nullSpec() {
    assertThat(MfaPolicyValidator.validate(null).errorSummary()).isEqualTo("spec: is required");
  }
}
