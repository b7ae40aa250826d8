package dev.twofold.e2e.controlplane;

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
            });
        }
        return yaml.toString();
    }

    private static String indent(String text, int spaces) {
        return text.strip().lines().map(l -> " ".repeat(spaces) + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
