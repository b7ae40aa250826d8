package dev.twofold.e2e.controlplane;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The API server's structured configuration files. Authentication maps the IdP's verified second-factor claims to
 * {@code user.extra["twofold.dev/*"]}, where Twofold's webhooks read them (DESIGN §4): CEL here has no clock, so
 * auth_time is passed through as epoch seconds and judged by Twofold.
 */
public final class ApiServerConfigFiles {
    private ApiServerConfigFiles() {}

    /** Issuers are empty for a cluster without OIDC: the file then holds no JWT authenticator. */
    public static String authentication(Optional<OidcIssuer> issuer) {
        if (issuer.isEmpty()) {
            return """
                    apiVersion: apiserver.config.k8s.io/v1
                    kind: AuthenticationConfiguration
                    jwt: []
                    """;
        }
        OidcIssuer oidc = issuer.get();
        return """
                apiVersion: apiserver.config.k8s.io/v1
                kind: AuthenticationConfiguration
                jwt:
                - issuer:
                    url: %s
                    audiences: ["%s"]
                    certificateAuthority: |
                %s
                  claimMappings:
                    username:
                      expression: '"oidc:" + claims.preferred_username'
                    groups:
                      expression: 'has(claims.groups) ? dyn(claims.groups).map(g, "oidc:" + g) : []'
                    uid:
                      claim: sub
                    extra:
                    - key: twofold.dev/amr
                      valueExpression: 'has(claims.amr) ? claims.amr : []'
                    - key: twofold.dev/acr
                      valueExpression: 'has(claims.acr) ? string(claims.acr) : ""'
                    - key: twofold.dev/auth-time
                      valueExpression: 'has(claims.auth_time) ? string(int(claims.auth_time)) : ""'
                    - key: twofold.dev/iss
                      valueExpression: 'claims.iss'
                """.formatted(oidc.url(), oidc.audience(), indent(oidc.caPem(), 6));
    }

    /** One entry of the authorizer chain, in order. */
    public sealed interface Authorizer {
        record Node() implements Authorizer {}
        record Rbac() implements Authorizer {}

        /**
         * A SubjectAccessReview webhook that only ever denies or has no opinion. Failures deny (fail closed), so the
         * match condition must keep it to the requests it guards; decisions are not cached, because the same
         * request becomes deniable as the login ages.
         */
        record Webhook(String name, Path kubeconfigFile, String matchCondition) implements Authorizer {}
    }

    public static final List<Authorizer> NODE_AND_RBAC = List.of(new Authorizer.Node(), new Authorizer.Rbac());

    public static String authorization(List<Authorizer> chain) {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: apiserver.config.k8s.io/v1
                kind: AuthorizationConfiguration
                authorizers:
                """);
        for (Authorizer authorizer : chain) {
            yaml.append(switch (authorizer) {
                case Authorizer.Node n -> "- type: Node\n  name: node\n";
                case Authorizer.Rbac r -> "- type: RBAC\n  name: rbac\n";
                case Authorizer.Webhook w -> """
                        - type: Webhook
                          name: %s
                          webhook:
                            timeout: 3s
                            authorizedTTL: 1s
                            unauthorizedTTL: 1s
                            cacheAuthorizedRequests: false
                            cacheUnauthorizedRequests: false
                            subjectAccessReviewVersion: v1
                            matchConditionSubjectAccessReviewVersion: v1
                            failurePolicy: Deny
                            connectionInfo:
                              type: KubeConfigFile
                              kubeConfigFile: %s
                            matchConditions:
                            - expression: %s
                        """.formatted(w.name(), w.kubeconfigFile(), yamlQuoted(w.matchCondition()));
            });
        }
        return yaml.toString();
    }

    /** A single-quoted YAML scalar: CEL is full of double quotes. */
    private static String yamlQuoted(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String indent(String text, int spaces) {
        return text.strip().lines().map(l -> " ".repeat(spaces) + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
