package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * A SPIFFE trust domain: its name, where its CA comes from, how long the CA lives, the bounds of workload certificate
 * lifetimes, which nodes may attest pods, and where the trust bundle is published.
 *
 * @param trustDomain the SPIFFE trust domain name; {@code null} only in an invalid object
 * @param ca never {@code null}; {@link CaSource#SELF_SIGNED} when absent
 * @param caLifetime never {@code null}; {@value #DEFAULT_CA_LIFETIME} when absent
 * @param workloadTtl never {@code null}; {@link WorkloadTtl#DEFAULTS} when absent
 * @param trustedNodeSelector {@code null} when absent (every node may attest)
 * @param bundle never {@code null}; {@link TrustBundleTargets#DEFAULTS} when absent
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"trustDomain", "ca", "caLifetime", "workloadTtl", "trustedNodeSelector", "bundle"})
// Rules sit on the type, not on record components: crd-generator 7.5.2 emits a component's rule twice.
@ValidationRule(value = "self.trustDomain == oldSelf.trustDomain", fieldPath = ".trustDomain",
        reason = "FieldValueForbidden",
        message = "trustDomain is immutable: every issued SPIFFE ID and every peer's authorization names it")
@ValidationRule(value = "!has(self.caLifetime) || (duration(self.caLifetime) >= duration('24h') "
        + "&& duration(self.caLifetime) <= duration('87600h'))",
        fieldPath = ".caLifetime", reason = "FieldValueInvalid", message = "caLifetime must be between 24h and 87600h")
// CEL has no duration * int: six additions say "caLifetime >= 6 x workloadTtl.max" (a CA is active for its last 2/3
// minus 1/6 of its life, so this keeps every leaf's full lifetime inside its CA's).
@ValidationRule(value = "!has(self.caLifetime) || !has(self.workloadTtl) || !has(self.workloadTtl.max) "
        + "|| duration(self.caLifetime) >= duration(self.workloadTtl.max) + duration(self.workloadTtl.max) "
        + "+ duration(self.workloadTtl.max) + duration(self.workloadTtl.max) + duration(self.workloadTtl.max) "
        + "+ duration(self.workloadTtl.max)",
        fieldPath = ".caLifetime", reason = "FieldValueInvalid",
        message = "caLifetime must be at least 6 times workloadTtl.max")
public record TrustDomainSpec(
        @JsonPropertyDescription("The SPIFFE trust domain name, e.g. prod.example.com: lower-case DNS labels "
                + "(a-z, 0-9, -) separated by dots, at most 253 characters. Every workload certificate carries "
                + "spiffe://<trustDomain>/ns/<namespace>/sa/<serviceAccount>[/...]. Immutable.")
        @Required
        @Size(min = 1, max = 253)
        @Pattern(TRUST_DOMAIN_PATTERN)
        String trustDomain,

        @JsonPropertyDescription("Where the CA comes from: selfSigned (default; Twofold generates an ECDSA P-256 "
                + "root and rotates it) or intermediate (Twofold generates intermediates signed by a root you "
                + "provide in a Secret). Exactly one.")
        CaSource ca,

        @JsonPropertyDescription("Lifetime of each CA certificate Twofold generates, as a duration such as 8760h "
                + "(units h, m, s; between 24h and 87600h, at least 6 times workloadTtl.max). The next CA is "
                + "prepared and published at half of it and takes over at five sixths. Default 8760h.")
        @Pattern(DURATION_PATTERN)
        @Default(DEFAULT_CA_LIFETIME)
        String caLifetime,

        @JsonPropertyDescription("Bounds of workload certificate lifetimes (notAfter - notBefore). Policies' ttl is "
                + "clamped into [min, max]; policies without ttl get default.")
        WorkloadTtl workloadTtl,

        @JsonPropertyDescription("Nodes whose pods may be issued certificates, by node labels (a standard label "
                + "selector). Absent or empty trusts every node.")
        @SchemaFrom(type = ObjectSelectorSchema.class)
        LabelSelector trustedNodeSelector,

        @JsonPropertyDescription("Where the trust bundle (the CA certificates peers must trust) is published.")
        TrustBundleTargets bundle) {

    /** DNS-1123 subdomain: the subset of SPIFFE trust domain names that is also a DNS name. */
    public static final String TRUST_DOMAIN_PATTERN =
            "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    /** The schema's duration syntax, the one {@link dev.twofold.api.validation.GoDuration} parses. */
    public static final String DURATION_PATTERN = "^([0-9]{1,5}[hms]){1,3}$";
    public static final String DEFAULT_CA_LIFETIME = "8760h";

    public TrustDomainSpec {
        ca = ca == null ? CaSource.SELF_SIGNED : ca;
        caLifetime = caLifetime == null ? DEFAULT_CA_LIFETIME : caLifetime;
        workloadTtl = workloadTtl == null ? WorkloadTtl.DEFAULTS : workloadTtl;
        bundle = bundle == null ? TrustBundleTargets.DEFAULTS : bundle;
    }
}
