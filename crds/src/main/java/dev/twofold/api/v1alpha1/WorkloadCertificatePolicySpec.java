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
import java.util.List;

/**
 * Which pods of the policy's namespace get certificates, and what goes into them.
 *
 * @param trustDomain the name of a {@link TrustDomain} object; {@code null} only in an invalid object
 * @param podSelector {@code null} only in an invalid object; empty selects every pod of the namespace
 * @param serviceAccountNames never {@code null}; empty when absent (any service account)
 * @param spiffeIdTemplate never {@code null}; {@value #DEFAULT_SPIFFE_ID_TEMPLATE} when absent
 * @param dnsNameTemplates never {@code null}; empty when absent (no DNS SANs)
 * @param ttl {@code null} when absent (the trust domain's default)
 * @param keyTypes never {@code null}; {@link #DEFAULT_KEY_TYPES} when absent
 * @param attestation never {@code null}; {@link AttestationRequirements#DEFAULTS} when absent
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"trustDomain", "podSelector", "serviceAccountNames", "spiffeIdTemplate", "dnsNameTemplates",
    "ttl", "keyTypes", "attestation"})
// Rules sit on the type, not on record components: crd-generator 7.5.2 emits a component's rule twice.
@ValidationRule(value = "!has(self.spiffeIdTemplate) || self.spiffeIdTemplate.matches("
        + WorkloadCertificatePolicySpec.SPIFFE_CEL_REGEX + ")",
        fieldPath = ".spiffeIdTemplate", reason = "FieldValueInvalid",
        message = "spiffeIdTemplate must start with spiffe://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}} "
                + "and may only add path segments of letters, digits, '.', '_', '-' and placeholders")
@ValidationRule(value = "!has(self.spiffeIdTemplate) || !self.spiffeIdTemplate.matches('/[.]{1,2}(/|$)')",
        fieldPath = ".spiffeIdTemplate", reason = "FieldValueInvalid",
        message = "spiffeIdTemplate must not contain '.' or '..' path segments")
@ValidationRule(value = "!has(self.dnsNameTemplates) || self.dnsNameTemplates.all(t, "
        + "(t.endsWith('.{{namespace}}.svc') || t.endsWith('.{{namespace}}.svc.cluster.local')) && t.matches("
        + WorkloadCertificatePolicySpec.DNS_CEL_REGEX + "))",
        fieldPath = ".dnsNameTemplates", reason = "FieldValueInvalid",
        message = "dnsNameTemplates must end with .{{namespace}}.svc or .{{namespace}}.svc.cluster.local and use only "
                + "a-z, 0-9, '-', '.' and placeholders")
@ValidationRule(value = "!has(self.ttl) || (duration(self.ttl) >= duration('1m') "
        + "&& duration(self.ttl) <= duration('24h'))",
        fieldPath = ".ttl", reason = "FieldValueInvalid", message = "ttl must be between 1m and 24h")
@ValidationRule(value = "!has(self.keyTypes) || self.keyTypes.all(k, self.keyTypes.exists_one(j, j == k))",
        fieldPath = ".keyTypes", reason = "FieldValueDuplicate", message = "keyTypes must not repeat")
@ValidationRule(value = "!has(self.serviceAccountNames) "
        + "|| self.serviceAccountNames.all(n, self.serviceAccountNames.exists_one(m, m == n))",
        fieldPath = ".serviceAccountNames", reason = "FieldValueDuplicate",
        message = "serviceAccountNames must not repeat")
public record WorkloadCertificatePolicySpec(
        @JsonPropertyDescription("Name of the TrustDomain object (not the SPIFFE name) whose CA issues the "
                + "certificates.")
        @Required
        @Size(min = 1, max = 253)
        @Pattern(TrustDomainSpec.TRUST_DOMAIN_PATTERN)
        String trustDomain,

        @JsonPropertyDescription("Pods of this namespace the policy covers, by pod labels (a standard label "
                + "selector); {} selects every pod. A pod matched by two policies gets no certificate.")
        @Required
        @SchemaFrom(type = ObjectSelectorSchema.class)
        LabelSelector podSelector,

        @JsonPropertyDescription("Service accounts the covered pods must run as. Absent means any.")
        @Size(max = 64)
        List<@Size(min = 1, max = 253) String> serviceAccountNames,

        @JsonPropertyDescription("The SPIFFE ID (the one URI SAN). Must start with "
                + "spiffe://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}} and may add path segments made "
                + "of letters, digits, '.', '_', '-' and the placeholders {{podName}}, {{nodeName}}, "
                + "{{podLabel.<key>}}, {{namespace}}, {{serviceAccount}}, {{trustDomain}}. A pod missing a referenced "
                + "label gets no certificate. Default spiffe://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}}.")
        @Size(min = 1, max = 2048)
        @Default(DEFAULT_SPIFFE_ID_TEMPLATE)
        String spiffeIdTemplate,

        @JsonPropertyDescription("DNS SANs, e.g. {{serviceAccount}}.{{namespace}}.svc. Each must end with "
                + ".{{namespace}}.svc or .{{namespace}}.svc.cluster.local (a namespace can only name its own "
                + "services) and may use the same placeholders as spiffeIdTemplate. Absent means no DNS SANs.")
        @Size(max = 16)
        List<@Size(min = 1, max = 253) String> dnsNameTemplates,

        @JsonPropertyDescription("Certificate lifetime (notAfter - notBefore), e.g. 1h (units h, m, s; between 1m and "
                + "24h); clamped into the TrustDomain's workloadTtl bounds. Absent means the TrustDomain's "
                + "workloadTtl.default.")
        @Pattern(TrustDomainSpec.DURATION_PATTERN)
        String ttl,

        @JsonPropertyDescription("Key types workloads may use; requests with other keys are denied (reason "
                + "key_type_not_allowed). Default [ECDSAP256, ED25519]. PodCertificateRequests never use RSA2048.")
        @Size(min = 1, max = 6)
        @Default("[\"ECDSAP256\", \"ED25519\"]")
        List<KeyType> keyTypes,

        @JsonPropertyDescription("What a pod and its node must satisfy, beyond being who they claim to be.")
        AttestationRequirements attestation) {

    public static final String DEFAULT_SPIFFE_ID_TEMPLATE =
            "spiffe://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}}";
    public static final List<KeyType> DEFAULT_KEY_TYPES = List.of(KeyType.ECDSAP256, KeyType.ED25519);

    /** The placeholders templates may use, as an RE2 alternation (label keys may contain '/'). */
    static final String CEL_PLACEHOLDERS =
            "trustDomain|namespace|serviceAccount|podName|nodeName|podLabel[.][A-Za-z0-9._/-]+";
    /** A CEL string literal holding the RE2 pattern of a confined SPIFFE ID template. */
    static final String SPIFFE_CEL_REGEX = "'^spiffe://\\\\{\\\\{trustDomain\\\\}\\\\}/ns/\\\\{\\\\{namespace\\\\}\\\\}"
            + "/sa/\\\\{\\\\{serviceAccount\\\\}\\\\}(/([A-Za-z0-9._-]|\\\\{\\\\{(" + CEL_PLACEHOLDERS
            + ")\\\\}\\\\})+)*$'";
    /** A CEL string literal holding the RE2 pattern of a DNS name template's characters. */
    static final String DNS_CEL_REGEX = "'^([a-z0-9.-]|\\\\{\\\\{(" + CEL_PLACEHOLDERS + ")\\\\}\\\\})+$'";

    public WorkloadCertificatePolicySpec {
        serviceAccountNames = serviceAccountNames == null ? List.of() : List.copyOf(serviceAccountNames);
        spiffeIdTemplate = spiffeIdTemplate == null ? DEFAULT_SPIFFE_ID_TEMPLATE : spiffeIdTemplate;
        dnsNameTemplates = dnsNameTemplates == null ? List.of() : List.copyOf(dnsNameTemplates);
        keyTypes = keyTypes == null ? DEFAULT_KEY_TYPES : List.copyOf(keyTypes);
        attestation = attestation == null ? AttestationRequirements.DEFAULTS : attestation;
    }
}
