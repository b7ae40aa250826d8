package dev.twofold.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.v1alpha1.TrustDomainSpec;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicySpec;
import dev.twofold.api.workload.SpiffeIdTemplate;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link WorkloadCertificatePolicyValidator}, specs written as YAML, every error and warning with its path. */
class WorkloadCertificatePolicyValidatorTest {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final String BASE = "trustDomain: prod\npodSelector: {matchLabels: {app: web}}\n";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a minimal policy is valid with every default", BASE, List.of(), List.of()),
                Arguments.of("a full policy is valid", BASE + """
                        serviceAccountNames: [web, web-canary]
                        spiffeIdTemplate: "spiffe://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}}/x"
                        dnsNameTemplates: ["{{serviceAccount}}.{{namespace}}.svc", "w.{{namespace}}.svc.cluster.local"]
                        ttl: 2h
                        keyTypes: [ECDSAP256, RSA3072]
                        attestation: {podPhases: [Running], requireImageDigests: true, nodeLabels: {pool: secure}}
                        """, List.of(), List.of("spec.attestation.podPhases: does not allow Pending; the kubelet "
                                + "requests pod certificates before containers start, so PodCertificateRequests will "
                                + "be denied")),
                Arguments.of("trust domain and pod selector are required", "ttl: 1h",
                        List.of("spec.trustDomain: is required",
                                "spec.podSelector: is required ({} selects every pod of the namespace)"), List.of()),
                Arguments.of("a template that escapes the namespace is rejected", BASE
                        + "spiffeIdTemplate: \"spiffe://{{trustDomain}}/ns/kube-system/sa/{{serviceAccount}}\"\n",
                        List.of("spec.spiffeIdTemplate: must start with spiffe://{{trustDomain}}/ns/{{namespace}}/sa/"
                                + "{{serviceAccount}}; got \"spiffe://{{trustDomain}}/ns/kube-system/sa/"
                                + "{{serviceAccount}}\""), List.of()),
                Arguments.of("a template that climbs with .. is rejected", BASE
                        + "spiffeIdTemplate: \"" + SpiffeIdTemplate.REQUIRED_PREFIX + "/../x\"\n",
                        List.of("spec.spiffeIdTemplate: must not have '.' or '..' path segments"), List.of()),
                Arguments.of("a template with // is rejected", BASE
                        + "spiffeIdTemplate: \"" + SpiffeIdTemplate.REQUIRED_PREFIX + "//x\"\n",
                        List.of("spec.spiffeIdTemplate: must not have empty path segments ('//' or a trailing '/')"),
                        List.of()),
                Arguments.of("DNS names are confined to the namespace's services", BASE
                        + "dnsNameTemplates: [\"kubernetes.default.svc\", \"{{podName}}.{{namespace}}.svc\"]\n",
                        List.of("spec.dnsNameTemplates[0]: must be <name>.{{namespace}}.svc or <name>.{{namespace}}"
                                + ".svc.cluster.local; got \"kubernetes.default.svc\""), List.of()),
                Arguments.of("service account names are Kubernetes names, listed once", BASE
                        + "serviceAccountNames: [web, Web, web]\n",
                        List.of("spec.serviceAccountNames[1]: must be a service account name (lower-case DNS "
                                + "subdomain); got \"Web\"", "spec.serviceAccountNames[2]: \"web\" is listed twice"),
                        List.of()),
                Arguments.of("ttl must parse and lie within 1m..24h", BASE + "ttl: 25h\n",
                        List.of("spec.ttl: must be between 1m and 24h; got 25h"), List.of()),
                Arguments.of("ttl syntax", BASE + "ttl: one hour\n",
                        List.of("spec.ttl: must be a duration such as 30m or 1h (units h, m, s); got \"one hour\""),
                        List.of()),
                Arguments.of("key types are listed once", BASE + "keyTypes: [ED25519, ED25519]\n",
                        List.of("spec.keyTypes[1]: ED25519 is listed twice"), List.of()),
                Arguments.of("RSA2048 alone never serves PodCertificateRequests", BASE + "keyTypes: [RSA2048]\n",
                        List.of(), List.of("spec.keyTypes: only RSA2048 is allowed; PodCertificateRequests never use "
                                + "it, so only the CSR API and the agent can get certificates")),
                Arguments.of("finished pods getting certificates is flagged", BASE
                        + "attestation: {podPhases: [Running, Pending, Succeeded]}\n", List.of(),
                        List.of("spec.attestation.podPhases[2]: Succeeded pods have no running containers; allowing "
                                + "them lets finished pods keep getting certificates")),
                Arguments.of("the pod selector is checked", "trustDomain: prod\n"
                        + "podSelector: {matchExpressions: [{key: app, operator: Exists, values: [x]}]}\n",
                        List.of("spec.podSelector.matchExpressions[0].values: must be empty for Exists"), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("validation reports every error and warning with its path")
    void validate(String description, String yaml, List<String> errors, List<String> warnings) {
        ValidationResult result = WorkloadCertificatePolicyValidator.validate(
                YAML.unmarshal(yaml, WorkloadCertificatePolicySpec.class));

        assertThat(result.errors()).extracting(FieldError::toString).containsExactlyElementsOf(errors);
        assertThat(result.warnings()).extracting(FieldError::toString).containsExactlyElementsOf(warnings);
    }

    static Stream<Arguments> againstTrustDomain() {
        return Stream.of(
                Arguments.of("a ttl inside the bounds is fine", "2h", List.of()),
                Arguments.of("no ttl uses the default", null, List.of()),
                Arguments.of("a ttl above the maximum is clamped", "20h",
                        List.of("spec.ttl: 20h is above the TrustDomain's maximum 12h; certificates get 12h")),
                Arguments.of("a ttl below the minimum is clamped", "2m",
                        List.of("spec.ttl: 2m is below the TrustDomain's minimum 5m; certificates get 5m")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("againstTrustDomain")
    @DisplayName("the ttl is checked against the trust domain's bounds, as a warning")
    void validateAgainst(String description, String ttl, List<String> warnings) {
        WorkloadCertificatePolicySpec policy = YAML.unmarshal(BASE + (ttl == null ? "" : "ttl: " + ttl + "\n"),
                WorkloadCertificatePolicySpec.class);
        TrustDomainSpec trustDomain = YAML.unmarshal("trustDomain: td\nworkloadTtl: {min: 5m, max: 12h}",
                TrustDomainSpec.class);

        ValidationResult result = WorkloadCertificatePolicyValidator.validateAgainst(policy, trustDomain);

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(FieldError::toString).containsExactlyElementsOf(warnings);
    }

    @Test
    @DisplayName("a missing spec is one error")
    void nullSpec() {
        assertThat(WorkloadCertificatePolicyValidator.validate(null).errorSummary()).isEqualTo("spec: is required");
    }
}
