package dev.twofold.webhook.testing;

import dev.twofold.api.policy.Compilation;
import dev.twofold.api.policy.CompiledPolicy;
import dev.twofold.api.policy.PolicySet;
import dev.twofold.api.v1alpha1.MfaPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;

/** The sample MfaPolicies (as in e2e/samples), parsed from YAML like the API server would store them. */
public final class SamplePolicies {

    public static final String HINT = "log in with your authenticator app: ./twofold dev token <you> --fresh "
            + "(kubelogin: --force-refresh)";

    public static final String EXEC = """
            apiVersion: twofold.dev/v1alpha1
            kind: MfaPolicy
            metadata: {name: exec-needs-mfa}
            spec:
              enforcement: Enforce
              match:
                rules:
                - apiGroups: [""]
                  resources: ["pods/exec", "pods/attach", "pods/portforward"]
                  verbs: ["*"]
              require:
                amr: {anyOf: [["otp"], ["hwk"], ["mfa"]]}
                maxAuthAge: 12h
              stepUpHint: "%s"
            """.formatted(HINT);

    public static final String SECRET_READS = """
            apiVersion: twofold.dev/v1alpha1
            kind: MfaPolicy
            metadata: {name: secret-reads-need-mfa}
            spec:
              match:
                rules:
                - apiGroups: [""]
                  resources: ["secrets"]
                  verbs: ["get", "list", "watch"]
              require:
                amr: {anyOf: [["otp"], ["hwk"], ["mfa"]]}
              stepUpHint: "%s"
            """.formatted(HINT);

    public static final String RBAC_WRITES = """
            apiVersion: twofold.dev/v1alpha1
            kind: MfaPolicy
            metadata: {name: rbac-writes-need-mfa}
            spec:
              match:
                rules:
                - apiGroups: ["rbac.authorization.k8s.io"]
                  resources: ["clusterrolebindings", "rolebindings", "clusterroles", "roles"]
                  verbs: ["create", "update", "patch", "delete"]
              require:
                amr: {anyOf: [["otp"], ["hwk"], ["mfa"]]}
              stepUpHint: "%s"
            """.formatted(HINT);

    public static final String CONFIGMAP_AUDIT = """
            apiVersion: twofold.dev/v1alpha1
            kind: MfaPolicy
            metadata: {name: configmap-writes-audit}
            spec:
              enforcement: Audit
              match:
                rules:
                - apiGroups: [""]
                  resources: ["configmaps"]
                  verbs: ["create", "update", "patch", "delete"]
                namespaceSelector:
                  matchLabels: {kubernetes.io/metadata.name: demo}
              require:
                amr: {anyOf: [["otp"], ["hwk"], ["mfa"]]}
            """;

    /** The four samples. */
    public static final List<String> ALL = List.of(EXEC, SECRET_READS, RBAC_WRITES, CONFIGMAP_AUDIT);

    /** Namespace labels as the API server sets them. */
    public static final Map<String, Map<String, String>> NAMESPACES = Map.of(
            "demo", Map.of("kubernetes.io/metadata.name", "demo"),
            "prod", Map.of("kubernetes.io/metadata.name", "prod"));

    private SamplePolicies() {
    }

    public static MfaPolicy parse(String yaml) {
        return Serialization.unmarshal(yaml, MfaPolicy.class);
    }

    /** The compiled set of {@code yamls}. */
    public static PolicySet set(List<String> yamls) {
        return PolicySet.of(yamls.stream().map(yaml -> {
            Compilation compilation = CompiledPolicy.compile(parse(yaml));
            if (compilation instanceof Compilation.Compiled compiled) {
                return compiled.policy();
            }
            throw new AssertionError(compilation.validation().errorSummary());
        }).toList());
    }
}
