package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * Schema only: the CRD schema of {@link Match#namespaceSelector()}, which is a plain fabric8
 * {@link io.fabric8.kubernetes.api.model.LabelSelector} in Java. fabric8's model class carries no descriptions or
 * validation, so the generator takes the schema from here ({@code @SchemaFrom}); nothing instantiates this type.
 */
public record LabelSelectorSchema(
    @JsonPropertyDescription("Labels the namespace must carry, with these exact values.")
    Map<String, String> matchLabels,

    @JsonPropertyDescription("Label requirements, all of which must hold.")
    @Size(max = 32)
    List<Requirement> matchExpressions) {

  /** Schema only: one {@code matchExpressions} entry. */
  @ValidationRule(value = "self.operator in ['In', 'NotIn'] ? (has(self.values) && size(self.values) > 0) "
      + ": (!has(self.values) || size(self.values) == 0)",
      reason = "FieldValueInvalid",
      message = "values must be non-empty for In and NotIn, and empty for Exists and DoesNotExist")
  public record Requirement(
      @JsonPropertyDescription("The label key.")
      @Required
      @Size(min = 1, max = 317)
      String key,

      @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
      @Required
      Operator operator,

      @JsonPropertyDescription("Values for In and NotIn; must be empty for Exists and DoesNotExist.")
      @Size(max = 64)
      List<String> values) {
  }

  /** Schema only: label selector operators. */
  public enum Operator { In, NotIn, Exists, DoesNotExist }
}
