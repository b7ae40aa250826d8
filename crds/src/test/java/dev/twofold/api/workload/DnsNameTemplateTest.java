package dev.twofold.api.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link DnsNameTemplate}: only service names of the policy's own namespace. */
class DnsNameTemplateTest {

    static final TemplateValues WEB = new TemplateValues("td", "demo", "web", "web-0", "node-1",
            Map.of("app", "web", "Upper", "Web"));

    static Stream<Arguments> rendered() {
        return Stream.of(
                Arguments.of("{{serviceAccount}}.{{namespace}}.svc", "web.demo.svc"),
                Arguments.of("{{podLabel.app}}.{{namespace}}.svc.cluster.local", "web.demo.svc.cluster.local"),
                Arguments.of("{{podName}}.headless.{{namespace}}.svc", "web-0.headless.demo.svc"));
    }

    @ParameterizedTest(name = "{0} renders to {1}")
    @MethodSource("rendered")
    @DisplayName("templates render to service names")
    void renders(String template, String expected) throws TemplateException {
        assertThat(DnsNameTemplate.parse(template).render(WEB)).isEqualTo(expected);
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("another namespace's service", "web.kube-system.svc",
                        "must be <name>.{{namespace}}.svc or <name>.{{namespace}}.svc.cluster.local; got "
                                + "\"web.kube-system.svc\""),
                Arguments.of("a public name", "www.example.com",
                        "must be <name>.{{namespace}}.svc or <name>.{{namespace}}.svc.cluster.local; got "
                                + "\"www.example.com\""),
                Arguments.of("the namespace alone", ".{{namespace}}.svc",
                        "must be <name>.{{namespace}}.svc or <name>.{{namespace}}.svc.cluster.local; got "
                                + "\".{{namespace}}.svc\""),
                Arguments.of("a wildcard", "*.{{namespace}}.svc",
                        "may only use a-z, 0-9, '-', '.' and placeholders; got \"*\""),
                Arguments.of("upper case", "Web.{{namespace}}.svc",
                        "may only use a-z, 0-9, '-', '.' and placeholders; got \"W\""),
                Arguments.of("an empty label", "a..{{namespace}}.svc", "must not have empty labels ('..')"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    @DisplayName("templates outside the namespace's services do not parse")
    void rejects(String description, String template, String message) {
        assertThatThrownBy(() -> DnsNameTemplate.parse(template))
                .isInstanceOf(TemplateException.class).hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderFailures")
    @DisplayName("values that make an invalid DNS name fail rendering")
    void renderFailures(String template, String message) throws TemplateException {
        DnsNameTemplate parsed = DnsNameTemplate.parse(template);

        assertThatThrownBy(() -> parsed.render(WEB)).hasMessage(message);
    }

    static Stream<Arguments> renderFailures() {
        return Stream.of(
                Arguments.of("{{podLabel.Upper}}.{{namespace}}.svc", "renders to \"Web.demo.svc\", which is not a "
                        + "lower-case DNS name (labels of a-z, 0-9, '-', at most 63 characters each, 253 in all)"),
                Arguments.of("{{podLabel.missing}}.{{namespace}}.svc", "pod demo/web-0 has no label missing"));
    }
}
