package dev.twofold.api.validation;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Label selector checks shared by the workload validators (what the schema checks, for objects that bypassed it). */
final class SelectorChecks {

    private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

    private SelectorChecks() {
    }

    static void check(LabelSelector selector, String path, List<FieldError> errors) {
        if (selector == null) {
            return;
        }
        Map<String, String> labels = selector.getMatchLabels();
        if (labels != null) {
            labels.forEach((key, value) -> {
                if (key == null || key.isEmpty()) {
                    errors.add(new FieldError(path + ".matchLabels", "keys must not be empty"));
                } else if (value == null) {
                    errors.add(new FieldError(path + ".matchLabels[" + key + "]", "must not be null"));
                }
            });
        }
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
        if (expressions == null) {
            return;
        }
        for (int i = 0; i < expressions.size(); i++) {
            LabelSelectorRequirement requirement = expressions.get(i);
            String at = path + ".matchExpressions[" + i + "]";
            if (requirement == null) {
                errors.add(new FieldError(at, "must not be null"));
                continue;
            }
            if (requirement.getKey() == null || requirement.getKey().isEmpty()) {
                errors.add(new FieldError(at + ".key", "is required"));
            }
            String operator = requirement.getOperator();
            List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
            if (!OPERATORS.contains(operator)) {
                errors.add(new FieldError(at + ".operator", "must be In, NotIn, Exists or DoesNotExist; got \""
                        + operator + "\""));
            } else if ((operator.equals("In") || operator.equals("NotIn")) && values.isEmpty()) {
                errors.add(new FieldError(at + ".values", "must not be empty for " + operator));
            } else if ((operator.equals("Exists") || operator.equals("DoesNotExist")) && !values.isEmpty()) {
                errors.add(new FieldError(at + ".values", "must be empty for " + operator));
            }
        }
    }
}
