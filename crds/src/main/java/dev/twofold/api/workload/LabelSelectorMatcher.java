package dev.twofold.api.workload;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled label selector with Kubernetes semantics: every requirement must hold; {@code matchLabels} entries are
 * equality requirements; In needs the key with one of the values, NotIn the key absent or with none of them, Exists
 * the key, DoesNotExist its absence. An empty selector selects everything; so does an absent one (callers that need
 * a selector require it before compiling).
 */
public final class LabelSelectorMatcher {

    /** Selects every object. */
    public static final LabelSelectorMatcher EVERYTHING = new LabelSelectorMatcher(List.of());

    private enum Operator { IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    private record Requirement(String key, Operator operator, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case IN -> value != null && values.contains(value);
                case NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
            };
        }
    }

    private final List<Requirement> requirements;

    private LabelSelectorMatcher(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    /**
     * Compiles {@code selector}; {@code null} selects everything.
     *
     * @throws IllegalArgumentException for an operator other than In, NotIn, Exists, DoesNotExist (the validators
     *     reject those first)
     */
    public static LabelSelectorMatcher compile(LabelSelector selector) {
        if (selector == null) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((key, value) ->
                    requirements.add(new Requirement(key, Operator.IN, Set.of(value))));
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement expression : selector.getMatchExpressions()) {
                Operator operator = switch (String.valueOf(expression.getOperator())) {
                    case "In" -> Operator.IN;
                    case "NotIn" -> Operator.NOT_IN;
                    case "Exists" -> Operator.EXISTS;
                    case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
                    default -> throw new IllegalArgumentException("unknown label selector operator "
                            + expression.getOperator());
                };
                List<String> values = expression.getValues() == null ? List.of() : expression.getValues();
                requirements.add(new Requirement(expression.getKey(), operator, Set.copyOf(values)));
            }
        }
        return requirements.isEmpty() ? EVERYTHING : new LabelSelectorMatcher(List.copyOf(requirements));
    }

    /** Whether an object with {@code labels} ({@code null} means none) is selected. */
    public boolean matches(Map<String, String> labels) {
        Map<String, String> present = labels == null ? Map.of() : labels;
        for (Requirement requirement : requirements) {
            if (!requirement.matches(present)) {
                return false;
            }
        }
        return true;
    }
}
