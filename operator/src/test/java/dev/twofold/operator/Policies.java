package dev.twofold.operator;

import dev.twofold.api.v1alpha1.AmrRequirement;
import dev.twofold.api.v1alpha1.Enforcement;
import dev.twofold.api.v1alpha1.Match;
import dev.twofold.api.v1alpha1.MatchRule;
import dev.twofold.api.v1alpha1.MfaPolicy;
import dev.twofold.api.v1alpha1.MfaPolicySpec;
import dev.twofold.api.v1alpha1.Require;
import dev.twofold.api.v1alpha1.Subjects;
import java.util.Arrays;
import java.util.List;

/** Terse MfaPolicy builders for test tables; lists are comma-separated strings ({@code ""} is the core group). */
public final class Policies {

    private Policies() {
    }

    public static List<String> csv(String values) {
        return values == null ? List.of() : Arrays.stream(values.split(",", -1)).map(String::strip).toList();
    }

    public static MatchRule rule(String apiGroups, String resources, String verbs) {
        return new MatchRule(csv(apiGroups), csv(resources), csv(verbs));
    }

    public static Require otp() {
        return new Require(new AmrRequirement(List.of(List.of("otp"))), List.of(), null, List.of());
    }

    public static MfaPolicy policy(String name, Enforcement enforcement, Subjects subjects, MatchRule... rules) {
        MfaPolicy policy = MfaPolicy.of(name, new MfaPolicySpec(enforcement, new Match(List.of(rules), null, subjects),
                otp(), null));
        policy.getMetadata().setGeneration(1L);
        policy.getMetadata().setUid("uid-" + name);
        return policy;
    }

    public static MfaPolicy policy(String name, MatchRule... rules) {
        return policy(name, Enforcement.ENFORCE, null, rules);
    }

    /** exec/attach/port-forward for everyone. */
    public static MfaPolicy exec(String name) {
        return policy(name, rule("", "pods/exec,pods/attach,pods/portforward", "*"));
    }

    /** Valid for the schema, rejected by the validator: maxAuthAge 0s. */
    public static MfaPolicy invalid(String name) {
        MfaPolicy policy = MfaPolicy.of(name, new MfaPolicySpec(Enforcement.ENFORCE,
                new Match(List.of(rule("", "pods/exec", "*")), null, null),
                new Require(null, List.of(), "0s", List.of()), null));
        policy.getMetadata().setGeneration(1L);
        return policy;
    }

    public static Subjects groups(String groups) {
        return new Subjects(List.of(), csv(groups), List.of(), List.of());
    }

    public static Subjects users(String users) {
        return new Subjects(csv(users), List.of(), List.of(), List.of());
    }
}
