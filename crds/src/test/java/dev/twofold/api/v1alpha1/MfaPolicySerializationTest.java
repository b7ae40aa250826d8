package dev.twofold.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.policy.Compilation;
import dev.twofold.api.policy.CompiledPolicy;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The records read and write as the YAML users and the operator exchange with the API server. */
class MfaPolicySerializationTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static final String SAMPLE = """
      apiVersion: twofold.dev/v1alpha1
      kind: MfaPolicy
      metadata:
        name: exec-needs-mfa
        generation: 3
      spec:
        match:
          rules:
          - apiGroups: [""]
            resources: ["pods/exec", "pods/attach", "pods/portforward"]
            verbs: ["*"]
          namespaceSelector:
            matchLabels: {env: prod}
          subjects:
            groups: ["oidc:platform-admins"]
        require:
          amr:
            anyOf: [["hwk"], ["otp", "pwd"]]
          maxAuthAge: 15m
      status:
        observedGeneration: 3
        admissionRules: 1
        conditions:
        - {type: Ready, status: "True", reason: Compiled, message: ok, lastTransitionTime: "2026-01-01T00:00:00Z"}
      """;

  @Test
  @DisplayName("a policy written by a user reads into the records, absent lists as empty and enforcement as Enforce")
  void reads() {
    MfaPolicy policy = SERIALIZATION.unmarshal(SAMPLE, MfaPolicy.class);

    assertThat(policy.getMetadata().getName()).isEqualTo("exec-needs-mfa");
    MfaPolicySpec spec = policy.getSpec();
    assertThat(spec.enforcement()).isEqualTo(Enforcement.ENFORCE);
    assertThat(spec.match().rules()).singleElement()
        .isEqualTo(new MatchRule(List.of(""), List.of("pods/exec", "pods/attach", "pods/portforward"), List.of("*")));
    assertThat(spec.match().namespaceSelector().getMatchLabels()).containsEntry("env", "prod");
    assertThat(spec.match().subjects().groups()).containsExactly("oidc:platform-admins");
    assertThat(spec.match().subjects().excludeUsers()).isEmpty();
    assertThat(spec.require().amr().anyOf()).containsExactly(List.of("hwk"), List.of("otp", "pwd"));
    assertThat(spec.require().acr()).isEmpty();
    assertThat(spec.require().issuers()).isEmpty();
    assertThat(spec.require().maxAuthAge()).isEqualTo("15m");
    assertThat(spec.stepUpHint()).isNull();
    assertThat(policy.getStatus().observedGeneration()).isEqualTo(3L);
    assertThat(policy.getStatus().conditions()).extracting(Condition::getType).containsExactly("Ready");
    assertThat(CompiledPolicy.compile(policy)).isInstanceOf(Compilation.Compiled.class);
  }

  @Test
  @DisplayName("writing leaves out empty lists and absent fields, and names enum values as in the schema")
  void writes() {
    MfaPolicySpec spec = new MfaPolicySpec(Enforcement.AUDIT,
        new Match(List.of(new MatchRule(List.of(""), List.of("secrets"), List.of("get"))), null, null),
        new Require(null, List.of("phrh"), null, null), null);

    String yaml = SERIALIZATION.asYaml(MfaPolicy.of("secrets", spec));

    assertThat(yaml).isEqualTo("""
        ---
        apiVersion: "twofold.dev/v1alpha1"
        kind: "MfaPolicy"
        metadata:
          name: "secrets"
        spec:
          enforcement: "Audit"
          match:
            rules:
            - apiGroups:
              - ""
              resources:
              - "secrets"
              verbs:
              - "get"
            subjects: {}
          require:
            acr:
            - "phrh"
        """);
    assertThat(SERIALIZATION.unmarshal(yaml, MfaPolicy.class).getSpec()).isEqualTo(spec);
  }
}
