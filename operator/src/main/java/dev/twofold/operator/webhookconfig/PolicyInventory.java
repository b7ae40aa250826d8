package dev.twofold.operator.webhookconfig;

import dev.twofold.api.policy.AdmissionRule;
import dev.twofold.api.policy.Compilation;
import dev.twofold.api.policy.CompiledPolicy;
import dev.twofold.api.policy.PolicySet;
import dev.twofold.api.v1alpha1.Enforcement;
import dev.twofold.api.v1alpha1.MfaPolicy;
import dev.twofold.api.v1alpha1.Subjects;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Every MfaPolicy compiled with the same pure code the status reconciler and the webhook use, so the webhook
 * configuration never waits for a status write: what is Ready there is in force here.
 *
 * @param rules the union of the admission rules of the policies in force (compiled and not Disabled)
 * @param ready policies in force
 * @param invalid policies that did not compile
 * @param disabled compiled policies with enforcement Disabled
 * @param namedUsers system users (service accounts, nodes, control-plane components) that policies in force name in
 *     {@code subjects.users}, sorted
 * @param namedGroups system groups ({@code system:nodes}, {@code system:serviceaccounts[:<ns>]}) that policies in
 *     force name in {@code subjects.groups}, sorted
 */
public record PolicyInventory(List<AdmissionRule> rules, int ready, int invalid, int disabled,
        SortedSet<String> namedUsers, SortedSet<String> namedGroups) {

    public PolicyInventory {
        rules = List.copyOf(rules);
        namedUsers = Collections.unmodifiableSortedSet(new TreeSet<>(namedUsers));
        namedGroups = Collections.unmodifiableSortedSet(new TreeSet<>(namedGroups));
    }

    public static PolicyInventory of(Collection<MfaPolicy> policies) {
        List<CompiledPolicy> inForce = new ArrayList<>();
        int invalid = 0;
        int disabled = 0;
        for (MfaPolicy policy : policies) {
            switch (CompiledPolicy.compile(policy)) {
                case Compilation.Rejected rejected -> invalid++;
                case Compilation.Compiled compiled when compiled.policy().enforcement() == Enforcement.DISABLED ->
                        disabled++;
                case Compilation.Compiled compiled -> inForce.add(compiled.policy());
            }
        }
        SortedSet<String> users = new TreeSet<>();
        SortedSet<String> groups = new TreeSet<>();
        for (CompiledPolicy policy : inForce) {
            Subjects subjects = policy.spec().match().subjects();
            subjects.users().stream().filter(SystemIdentities::isSystemUser).forEach(users::add);
            subjects.groups().stream().filter(SystemIdentities::isSystemGroup).forEach(groups::add);
        }
        return new PolicyInventory(PolicySet.of(inForce).rulesForAdmission(), inForce.size(), invalid, disabled,
                users, groups);
    }

    /** No policies at all. */
    public static PolicyInventory empty() {
        return new PolicyInventory(List.of(), 0, 0, 0, new TreeSet<>(), new TreeSet<>());
    }
}
