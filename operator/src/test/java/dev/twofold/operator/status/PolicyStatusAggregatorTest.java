package dev.twofold.operator.status;

import static dev.twofold.operator.Policies.exec;
import static dev.twofold.operator.Policies.invalid;
import static dev.twofold.operator.Policies.policy;
import static dev.twofold.operator.Policies.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.policy.CompiledPolicy;
import dev.twofold.api.v1alpha1.AmrRequirement;
import dev.twofold.api.v1alpha1.Enforcement;
import dev.twofold.api.v1alpha1.Match;
import dev.twofold.api.v1alpha1.MfaPolicy;
import dev.twofold.api.v1alpha1.MfaPolicySpec;
import dev.twofold.api.v1alpha1.MfaPolicyStatus;
import dev.twofold.api.v1alpha1.Require;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyStatusAggregatorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00.123456Z");
    private static final Instant T1 = Instant.parse("2026-01-01T13:00:00Z");

    private final PolicyStatusAggregator aggregator = new PolicyStatusAggregator();

    @Test
    void a_valid_policy_is_ready_with_its_rule_count_and_generation() {
        MfaPolicy policy = exec("exec");
        policy.getMetadata().setGeneration(3L);

        MfaPolicyStatus status = aggregate(policy, T0);

        assertThat(status.observedGeneration()).isEqualTo(3L);
        assertThat(status.admissionRules()).isEqualTo(1);
        assertThat(ready(status)).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("Compiled");
            assertThat(c.getMessage()).isEqualTo(
                    "in force (Enforce); 1 admission rule for the webhook configuration");
            assertThat(c.getObservedGeneration()).isEqualTo(3L);
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T12:00:00Z");
        });
        assertThat(condition(status, "Warnings").getStatus()).isEqualTo("False");
    }

    @Test
    void an_invalid_policy_is_not_ready_and_the_message_lists_every_field_error() {
        MfaPolicy policy = MfaPolicy.of("bad", new MfaPolicySpec(Enforcement.ENFORCE,
                new Match(List.of(rule("", "pods/exec", "CONNECT")), null, null),
                new Require(new AmrRequirement(List.of(List.of())), List.of(), "25h", List.of()), null));
        policy.getMetadata().setGeneration(1L);

        MfaPolicyStatus status = aggregate(policy, T0);

        assertThat(status.admissionRules()).isZero();
        assertThat(ready(status).getStatus()).isEqualTo("False");
        assertThat(ready(status).getReason()).isEqualTo("InvalidSpec");
        assertThat(ready(status).getMessage()).isEqualTo("the spec is invalid: "
                + "spec.match.rules[0].verbs[0]: must be a lower-case Kubernetes verb such as create or connect (not an "
                + "admission operation like CONNECT); got \"CONNECT\"; "
                + "spec.require.amr.anyOf[0]: must name at least one amr value (an empty set would accept any token); "
                + "spec.require.maxAuthAge: must be at most 24h; got 25h");
    }

    @Test
    void a_disabled_policy_is_not_ready_and_contributes_no_rules() {
        MfaPolicyStatus status = aggregate(policy("off", Enforcement.DISABLED, null, rule("", "pods", "delete")), T0);

        assertThat(ready(status).getStatus()).isEqualTo("False");
        assertThat(ready(status).getReason()).isEqualTo("Disabled");
        assertThat(status.admissionRules()).isZero();
    }

    @Test
    void validation_warnings_are_reported_in_their_own_condition() {
        MfaPolicyStatus status = aggregate(policy("warn", rule("", "pods/exec", "create")), T0);

        assertThat(ready(status).getStatus()).isEqualTo("True");
        assertThat(condition(status, "Warnings")).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("ValidationWarnings");
            assertThat(c.getMessage()).startsWith("spec.match.rules[0].resources[0]: admission sees pods/exec as "
                    + "CONNECT");
        });
    }

    @Test
    void an_unchanged_policy_needs_no_status_patch_even_later() {
        MfaPolicy policy = exec("exec");
        policy.setStatus(aggregate(policy, T0));

        MfaPolicyStatus again = aggregate(policy, T1);

        assertThat(PolicyStatusAggregator.changed(policy, again)).isFalse();
    }

    @Test
    void a_new_generation_changes_the_status_but_not_the_transition_time() {
        MfaPolicy policy = exec("exec");
        policy.setStatus(aggregate(policy, T0));
        policy.getMetadata().setGeneration(2L);

        MfaPolicyStatus next = aggregate(policy, T1);

        assertThat(PolicyStatusAggregator.changed(policy, next)).isTrue();
        assertThat(next.observedGeneration()).isEqualTo(2L);
        assertThat(ready(next).getLastTransitionTime()).isEqualTo("2026-01-01T12:00:00Z");
    }

    @Test
    void flipping_from_ready_to_invalid_moves_the_transition_time() {
        MfaPolicy valid = exec("p");
        MfaPolicyStatus before = aggregate(valid, T0);
        MfaPolicy broken = invalid("p");
        broken.getMetadata().setGeneration(2L);
        broken.setStatus(before);

        MfaPolicyStatus after = aggregate(broken, T1);

        assertThat(ready(after).getStatus()).isEqualTo("False");
        assertThat(ready(after).getLastTransitionTime()).isEqualTo("2026-01-01T13:00:00Z");
        // Warnings did not flip (False before and after): its time stays.
        assertThat(condition(after, "Warnings").getLastTransitionTime()).isEqualTo("2026-01-01T12:00:00Z");
    }

    private MfaPolicyStatus aggregate(MfaPolicy policy, Instant now) {
        return aggregator.aggregate(policy, CompiledPolicy.compile(policy), now);
    }

    private static Condition ready(MfaPolicyStatus status) {
        return condition(status, "Ready");
    }

    private static Condition condition(MfaPolicyStatus status, String type) {
        return status.conditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }
}
