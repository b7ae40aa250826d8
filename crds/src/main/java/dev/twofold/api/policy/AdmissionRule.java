package dev.twofold.api.policy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One rule for the admission webhook configuration: every combination of {@link #apiGroups()},
 * {@link #resources()} and {@link #operations()}, for all API versions and scopes. Lists are sorted.
 *
 * @param apiGroups e.g. {@code ["", "apps"]}; {@code "*"} for all
 * @param resources e.g. {@code ["pods/attach", "pods/exec"]}, in admission rule syntax
 * @param operations in enum order, never empty
 */
public record AdmissionRule(List<String> apiGroups, List<String> resources, List<AdmissionOperation> operations) {

  public AdmissionRule {
    apiGroups = List.copyOf(apiGroups);
    resources = List.copyOf(resources);
    operations = List.copyOf(operations);
  }

  /** True when the rule covers every operation, which a webhook configuration may write as {@code "*"}. */
  public boolean allOperations() {
    return Set.copyOf(operations).equals(EnumSet.allOf(AdmissionOperation.class));
  }
}
