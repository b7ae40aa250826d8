package dev.twofold.api.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link SpiffeIdTemplate}: confined to spiffe://td/ns/ns/sa/sa, whatever the template or the pod's values. */
class SpiffeIdTemplateTest {

    static final TemplateValues WEB = new TemplateValues("prod.example.com", "demo", "web", "web-0", "node-1",
            Map.of("app", "web", "app.kubernetes.io/version", "1.2.3", "empty", "", "Case", "Mixed_Case"));

    static Stream<Arguments> rendered() {
        return Stream.of(
                Arguments.of("the default template names namespace and service account",
                        "spiffe://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}}",
                        "spiffe://prod.example.com/ns/demo/sa/web"),
                Arguments.of("segments may name the pod and node",
                        "spiffe://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}}/pod/{{podName}}/{{nodeName}}",
                        "spiffe://prod.example.com/ns/demo/sa/web/pod/web-0/node-1"),
                Arguments.of("segments may mix literals and labels, keys with prefixes included",
                        SpiffeIdTemplate.REQUIRED_PREFIX + "/v{{podLabel.app.kubernetes.io/version}}",
                        "spiffe://prod.example.com/ns/demo/sa/web/v1.2.3"),
                Arguments.of("label values keep their case and underscores (SPIFFE paths allow them)",
                        "spiffe://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}}/{{podLabel.Case}}",
                        "spiffe://prod.example.com/ns/demo/sa/web/Mixed_Case"),
                Arguments.of("a '...' segment is an ordinary name",
                        "spiffe://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}}/...",
                        "spiffe://prod.example.com/ns/demo/sa/web/..."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rendered")
    @DisplayName("templates render from the pod's values")
    void renders(String description, String template, String expected) throws TemplateException {
        assertThat(SpiffeIdTemplate.parse(template).render(WEB)).isEqualTo(expected);
    }

    static Stream<Arguments> rejected() {
        String p = SpiffeIdTemplate.REQUIRED_PREFIX;
        return Stream.of(
                Arguments.of("another namespace", "spiffe://{{trustDomain}}/ns/kube-system/sa/{{serviceAccount}}",
                        "must start with spiffe://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}}; got "
                                + "\"spiffe://{{trustDomain}}/ns/kube-system/sa/{{serviceAccount}}\""),
                Arguments.of("a literal trust domain",
                        "spiffe://evil.example.com/ns/{{namespace}}/sa/{{serviceAccount}}",
                        "must start with spiffe://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}}; got "
                                + "\"spiffe://evil.example.com/ns/{{namespace}}/sa/{{serviceAccount}}\""),
                Arguments.of("climbing out with ..", p + "/../../../ns/kube-system/sa/admin",
                        "must not have '.' or '..' path segments"),
                Arguments.of("a . segment", p + "/./x", "must not have '.' or '..' path segments"),
                Arguments.of("an empty segment", p + "//x",
                        "must not have empty path segments ('//' or a trailing '/')"),
                Arguments.of("a trailing slash", p + "/", "must not have empty path segments ('//' or a trailing '/')"),
                Arguments.of("extending the service account name", p + "-admin",
                        "may only add path segments after spiffe://{{trustDomain}}/ns/{{namespace}}/sa/"
                                + "{{serviceAccount}}; got \"" + p + "-admin\""),
                Arguments.of("a query", p + "/x?y", "may only use letters, digits, '.', '_', '-' and placeholders in "
                        + "path segments; got \"?\""),
                Arguments.of("an unknown placeholder", p + "/{{podIP}}", "has an unknown placeholder {{podIP}}; known "
                        + "are trustDomain, namespace, serviceAccount, podName, nodeName and podLabel.<key>"),
                Arguments.of("an unclosed placeholder", p + "/{{podName", "has an unclosed {{"),
                Arguments.of("a stray brace", p + "/x}", "has a brace outside a {{placeholder}}"),
                Arguments.of("an invalid label key", p + "/{{podLabel.-bad}}",
                        "has an invalid label key in {{podLabel.-bad}}"),
                Arguments.of("a non-spiffe scheme", "https://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}}",
                        "must start with spiffe://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}}; got "
                                + "\"https://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}}\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    @DisplayName("templates that could leave the namespace, or are not SPIFFE IDs, do not parse")
    void rejects(String description, String template, String message) {
        assertThatThrownBy(() -> SpiffeIdTemplate.parse(template))
                .isInstanceOf(TemplateException.class).hasMessage(message);
    }

    @Test
    @DisplayName("a pod without a referenced label gets no ID")
    void missingLabel() throws TemplateException {
        SpiffeIdTemplate template = SpiffeIdTemplate.parse(SpiffeIdTemplate.REQUIRED_PREFIX + "/{{podLabel.tier}}");

        assertThatThrownBy(() -> template.render(WEB)).hasMessage("pod demo/web-0 has no label tier");
    }

    @Test
    @DisplayName("an empty label value would leave an empty segment, so rendering fails")
    void emptyLabel() throws TemplateException {
        SpiffeIdTemplate template = SpiffeIdTemplate.parse(SpiffeIdTemplate.REQUIRED_PREFIX + "/{{podLabel.empty}}");

        assertThatThrownBy(() -> template.render(WEB)).hasMessage("renders to \"spiffe://prod.example.com/ns/demo/sa/"
                + "web/\", which has an empty path segment");
    }

    static Stream<Arguments> confinement() {
        return Stream.of(
                Arguments.of("spiffe://td/ns/demo/sa/web", null),
                Arguments.of("spiffe://td/ns/demo/sa/web/x/y", null),
                Arguments.of("spiffe://td/ns/demo/sa/webadmin", "is not inside spiffe://td/ns/demo/sa/web"),
                Arguments.of("spiffe://td/ns/other/sa/web", "is not inside spiffe://td/ns/demo/sa/web"),
                Arguments.of("spiffe://other/ns/demo/sa/web", "is not inside spiffe://td/ns/demo/sa/web"),
                Arguments.of("spiffe://td/ns/demo/sa/web/../x", "has a '.' or '..' path segment"),
                Arguments.of("spiffe://td/ns/demo/sa/web//x", "has an empty path segment"),
                Arguments.of("spiffe://td/ns/demo/sa/web/a%2F", "has a character outside letters, digits, '.', '_', "
                        + "'-' in a path segment"),
                Arguments.of("spiffe://td/ns/demo/sa/web/" + "a".repeat(2048), "is longer than 2048 characters"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("confinement")
    @DisplayName("rendered IDs are checked against the identity they are for")
    void confinementProblems(String id, String problem) {
        assertThat(SpiffeIdTemplate.confinementProblem(id, "td", "demo", "web").orElse(null)).isEqualTo(problem);
    }
}
