package dev.twofold.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.twofold.webhook.server.SecretRef;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WebhookOptionsTest {

    private static final Set<String> IN_CLUSTER = Set.of("https://kubernetes.default.svc.cluster.local");

    static Stream<Arguments> valid() {
        return Stream.of(
                arguments("no flags give the defaults", List.of(), WebhookOptions.DEFAULTS),
                arguments("every flag, space-separated", List.of("--port", "9443", "--bind", "127.0.0.1",
                        "--metrics-port", "9091", "--tls-secret", "sys/tls", "--impersonation-proxies",
                        "proxy-a, proxy-b", "--api-audiences", "https://kubernetes.default.svc, api"),
                        new WebhookOptions(9443, "127.0.0.1", 9091, new SecretRef("sys", "tls"),
                                Set.of("proxy-a", "proxy-b"), Set.of("https://kubernetes.default.svc", "api"))),
                arguments("every flag, with =", List.of("--port=9443", "--bind=::1", "--metrics-port=9091",
                        "--tls-secret=sys/webhook.tls", "--impersonation-proxies=system:serviceaccount:a:b",
                        "--api-audiences=https://localhost"),
                        new WebhookOptions(9443, "::1", 9091, new SecretRef("sys", "webhook.tls"),
                                Set.of("system:serviceaccount:a:b"), Set.of("https://localhost"))),
                arguments("the last of a repeated flag wins", List.of("--port", "1", "--port", "2"),
                        new WebhookOptions(2, "0.0.0.0", 9090, WebhookOptions.DEFAULTS.tlsSecret(), Set.of(),
                                IN_CLUSTER)),
                arguments("an empty proxy list is no proxies", List.of("--impersonation-proxies="),
                        WebhookOptions.DEFAULTS),
                arguments("the API server's audiences default to the in-cluster service account issuer", List.of(),
                        new WebhookOptions(8443, "0.0.0.0", 9090, WebhookOptions.DEFAULTS.tlsSecret(), Set.of(),
                                IN_CLUSTER)),
                arguments("an empty audience list accepts only tokens whose aud was requested",
                        List.of("--api-audiences", ""), new WebhookOptions(8443, "0.0.0.0", 9090,
                                WebhookOptions.DEFAULTS.tlsSecret(), Set.of(), Set.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesFlags(String name, List<String> args, WebhookOptions expected) throws Exception {
        assertThat(WebhookOptions.parse(args)).isEqualTo(expected);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                arguments("an unknown flag", List.of("--verbose"), "unknown flag \"--verbose\" (see --help)"),
                arguments("a stray argument", List.of("webhook"), "unexpected argument \"webhook\" (flags start "
                        + "with --)"),
                arguments("a flag without its value", List.of("--port"), "flag --port needs a value"),
                arguments("a port that is not a number", List.of("--port", "https"), "--port \"https\" is not a port "
                        + "number (1-65535)"),
                arguments("a port out of range", List.of("--metrics-port=70000"), "--metrics-port \"70000\" is not a "
                        + "port number (1-65535)"),
                arguments("the same port twice", List.of("--port", "9090"), "--port and --metrics-port must differ "
                        + "(both are 9090)"),
                arguments("a bind address with a slash", List.of("--bind", "10.0.0.0/8"), "--bind \"10.0.0.0/8\" is "
                        + "not an address"),
                arguments("a Secret without namespace", List.of("--tls-secret", "webhook-tls"), "--tls-secret: "
                        + "expected <namespace>/<name>, got \"webhook-tls\""),
                arguments("a Secret with an invalid namespace", List.of("--tls-secret", "Twofold/tls"),
                        "--tls-secret: namespace \"Twofold\" is not a valid namespace name (lower-case DNS label)"),
                arguments("a Secret with an invalid name", List.of("--tls-secret", "twofold-system/tls_secret"),
                        "--tls-secret: name \"tls_secret\" is not a valid Secret name (lower-case DNS subdomain)"),
                arguments("an empty proxy name", List.of("--impersonation-proxies", "a,,b"),
                        "--impersonation-proxies \"a,,b\" has an empty user name"),
                arguments("an empty audience", List.of("--api-audiences=a,"),
                        "--api-audiences \"a,\" has an empty audience"));
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource("invalid")
    void refusesBadFlags(String name, List<String> args, String message) {
        assertThatThrownBy(() -> WebhookOptions.parse(args))
                .isInstanceOf(WebhookOptions.InvalidFlag.class)
                .hasMessage(message);
    }
}
