package dev.twofold.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.v1alpha1.TrustDomainSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link TrustDomainValidator}, specs written as YAML, every error and warning spelled out with its path. */
class TrustDomainValidatorTest {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a minimal spec is valid with every default", "trustDomain: prod.example.com",
                        List.of(), List.of()),
                Arguments.of("an intermediate CA from a Secret is valid", """
                        trustDomain: prod.example.com
                        ca: {intermediate: {secretRef: {name: corp-root, namespace: twofold-system}}}
                        caLifetime: 2160h
                        workloadTtl: {min: 5m, max: 12h, default: 30m}
                        trustedNodeSelector: {matchLabels: {pool: trusted}}
                        bundle: {configMapName: corp-bundle, clusterTrustBundle: true}
                        """, List.of(), List.of()),
                Arguments.of("the trust domain must be a lower-case DNS name", "trustDomain: Prod_Example",
                        List.of("spec.trustDomain: must be lower-case DNS labels (a-z, 0-9, '-') separated by dots, at "
                                + "most 253 characters; got \"Prod_Example\""), List.of()),
                Arguments.of("the trust domain is required", "caLifetime: 48h",
                        List.of("spec.trustDomain: is required",
                                "spec.caLifetime: must be at least 6 times workloadTtl.max (144h); got 48h"),
                        List.of("spec.caLifetime: is under 30 days; the CA rotates every 40h and every rotation must "
                                + "reach every peer's trust bundle in time")),
                Arguments.of("both CA modes at once", """
                        trustDomain: td
                        ca: {selfSigned: {}, intermediate: {secretRef: {name: r, namespace: n}}}
                        """, List.of("spec.ca: needs exactly one of selfSigned or intermediate"), List.of()),
                Arguments.of("an intermediate needs a Secret reference", """
                        trustDomain: td
                        ca: {intermediate: {}}
                        """, List.of("spec.ca.intermediate.secretRef: is required"), List.of()),
                Arguments.of("the Secret reference must use Kubernetes names", """
                        trustDomain: td
                        ca: {intermediate: {secretRef: {name: Root_CA, namespace: a.b}}}
                        """, List.of("spec.ca.intermediate.secretRef.name: must be a Secret name (lower-case DNS "
                                + "subdomain)", "spec.ca.intermediate.secretRef.namespace: must be a namespace name "
                                + "(lower-case DNS label)"), List.of()),
                Arguments.of("durations must parse", """
                        trustDomain: td
                        caLifetime: 1y
                        workloadTtl: {min: 1.5m}
                        """, List.of("spec.caLifetime: must be a duration such as 10m, 1h or 8760h (units h, m, s); "
                                + "got "
                                + "\"1y\"", "spec.workloadTtl.min: must be a duration such as 10m, 1h or 8760h (units "
                                + "h, m, s); got \"1.5m\""), List.of()),
                Arguments.of("the CA lifetime is bounded", "trustDomain: td\ncaLifetime: 23h",
                        List.of("spec.caLifetime: must be between 24h and 87600h; got 23h"), List.of()),
                Arguments.of("the CA must outlive six maximal leaves", """
                        trustDomain: td
                        caLifetime: 100h
                        """, List.of("spec.caLifetime: must be at least 6 times workloadTtl.max (144h); got 100h"),
                        List.of("spec.caLifetime: is under 30 days; the CA rotates every 83h20m and every rotation "
                                + "must reach every peer's trust bundle in time")),
                Arguments.of("workload bounds must be ordered and within 1m..24h", """
                        trustDomain: td
                        workloadTtl: {min: 30s, max: 25h, default: 1h}
                        """, List.of("spec.workloadTtl.min: must be at least 1m; got 30s",
                                "spec.workloadTtl.max: must be at most 24h; got 25h"), List.of()),
                Arguments.of("min above max", """
                        trustDomain: td
                        workloadTtl: {min: 2h, max: 1h, default: 1h}
                        """, List.of("spec.workloadTtl.min: must not exceed max (1h); got 2h"), List.of()),
                Arguments.of("the default must lie between min and max", """
                        trustDomain: td
                        workloadTtl: {min: 10m, max: 2h, default: 3h}
                        """, List.of("spec.workloadTtl.default: must be between min (10m) and max (2h); got 3h"),
                        List.of()),
                Arguments.of("a maximum under 1h starves PodCertificateRequests", """
                        trustDomain: td
                        workloadTtl: {min: 10m, max: 30m, default: 15m}
                        """, List.of(), List.of("spec.workloadTtl.max: is under 1h; PodCertificateRequests need at "
                                + "least 1h and will all fail")),
                Arguments.of("selectors and ConfigMap names are checked", """
                        trustDomain: td
                        trustedNodeSelector:
                          matchExpressions: [{key: pool, operator: In}]
                        bundle: {configMapName: Bundle}
                        """, List.of("spec.trustedNodeSelector.matchExpressions[0].values: must not be empty for In",
                                "spec.bundle.configMapName: must be a ConfigMap name (lower-case DNS subdomain); got "
                                        + "\"Bundle\""), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("validation reports every error and warning with its path")
    void validate(String description, String yaml, List<String> errors, List<String> warnings) {
        ValidationResult result = TrustDomainValidator.validate(YAML.unmarshal(yaml, TrustDomainSpec.class));

        assertThat(result.errors()).extracting(FieldError::toString).containsExactlyElementsOf(errors);
        assertThat(result.warnings()).extracting(FieldError::toString).containsExactlyElementsOf(warnings);
    }

    @Test
    @DisplayName("a missing spec is one error")
    void nullSpec() {
        assertThat(TrustDomainValidator.validate(null).errorSummary()).isEqualTo("spec: is required");
    }
}
