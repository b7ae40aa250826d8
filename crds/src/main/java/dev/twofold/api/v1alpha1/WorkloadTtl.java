package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Bounds of workload certificate lifetimes (notAfter - notBefore), as Go-style durations.
 *
 * @param min never {@code null}; {@value #DEFAULT_MIN} when absent
 * @param max never {@code null}; {@value #DEFAULT_MAX} when absent
 * @param defaultTtl the {@code default} field; never {@code null}; {@value #DEFAULT_DEFAULT} when absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"min", "max", "default"})
@ValidationRule(value = "!has(self.min) || duration(self.min) >= duration('1m')", fieldPath = ".min",
        reason = "FieldValueInvalid", message = "min must be at least 1m")
@ValidationRule(value = "!has(self.max) || duration(self.max) <= duration('24h')", fieldPath = ".max",
        reason = "FieldValueInvalid", message = "max must be at most 24h")
@ValidationRule(value = "!has(self.min) || !has(self.max) || duration(self.min) <= duration(self.max)",
        fieldPath = ".min", reason = "FieldValueInvalid", message = "min must not exceed max")
@ValidationRule(value = "!has(self.default) || ((!has(self.min) || duration(self.min) <= duration(self.default)) "
        + "&& (!has(self.max) || duration(self.default) <= duration(self.max)))",
        fieldPath = ".default", reason = "FieldValueInvalid", message = "default must be between min and max")
public record WorkloadTtl(
        @JsonPropertyDescription("Shortest workload certificate lifetime, e.g. 10m (units h, m, s; at least 1m). "
                + "Default 10m. PodCertificateRequests always get at least 1h (a Kubernetes rule).")
        @Pattern(TrustDomainSpec.DURATION_PATTERN)
        @Default(DEFAULT_MIN)
        String min,

        @JsonPropertyDescription("Longest workload certificate lifetime, e.g. 24h (at most 24h). Default 24h.")
        @Pattern(TrustDomainSpec.DURATION_PATTERN)
        @Default(DEFAULT_MAX)
        String max,

        @JsonPropertyDescription("Lifetime for policies that set no ttl, between min and max. Default 1h.")
        @JsonProperty("default")
        @Pattern(TrustDomainSpec.DURATION_PATTERN)
        @Default(DEFAULT_DEFAULT)
        String defaultTtl) {

    public static final String DEFAULT_MIN = "10m";
    public static final String DEFAULT_MAX = "24h";
    public static final String DEFAULT_DEFAULT = "1h";
    public static final WorkloadTtl DEFAULTS = new WorkloadTtl(DEFAULT_MIN, DEFAULT_MAX, DEFAULT_DEFAULT);

    public WorkloadTtl {
        min = min == null ? DEFAULT_MIN : min;
        max = max == null ? DEFAULT_MAX : max;
        defaultTtl = defaultTtl == null ? DEFAULT_DEFAULT : defaultTtl;
    }
}
