package dev.twofold.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofold.api.v1alpha1.KeyType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {

    @Test
    void server_and_directory_are_enough_and_the_rest_has_defaults() throws Exception {
        AgentOptions options = AgentOptions.parse(List.of("--server", "https://twofold-agent.twofold-system.svc",
                "--dir", "/run/twofold"));

        assertThat(options.server()).isEqualTo(URI.create("https://twofold-agent.twofold-system.svc"));
        assertThat(options.directory()).isEqualTo(Path.of("/run/twofold"));
        assertThat(options.tokenFile()).isEqualTo(Path.of("/var/run/secrets/tokens/twofold"));
        assertThat(options.serverCa()).isEmpty();
        assertThat(options.keyType()).isEqualTo(KeyType.ECDSAP256);
        assertThat(options.once()).isFalse();
    }

    @Test
    void every_flag_can_be_set() throws Exception {
        AgentOptions options = AgentOptions.parse(List.of("--server=https://127.0.0.1:19444", "--dir=/tmp/c",
                "--token-file", "/t", "--server-ca", "/ca.crt", "--key-type", "ed25519", "--once", "--timeout", "2m"));

        assertThat(options.tokenFile()).isEqualTo(Path.of("/t"));
        assertThat(options.serverCa()).contains(Path.of("/ca.crt"));
        assertThat(options.keyType()).isEqualTo(KeyType.ED25519);
        assertThat(options.once()).isTrue();
        assertThat(options.timeout()).isEqualTo(Duration.ofMinutes(2));
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(List.of("--dir", "/d"), "--server is required"),
                Arguments.of(List.of("--server", "https://a"), "--dir is required"),
                Arguments.of(List.of("--server", "http://a", "--dir", "/d"),
                        "--server must be an https URL with a host, got http://a"),
                Arguments.of(List.of("--server", "https://a", "--dir", "/d", "--key-type", "DSA"),
                        "--key-type must be one of [ECDSAP256, ECDSAP384, RSA2048, RSA3072, RSA4096, ED25519], "
                                + "got DSA"),
                Arguments.of(List.of("--server", "https://a", "--dir", "/d", "--timeout", "5s"),
                        "--timeout only applies with --once"),
                Arguments.of(List.of("--server", "https://a", "--dir", "/d", "--once", "--timeout", "soon"),
                        "--timeout must be a duration such as 90s or 5m, got soon"),
                Arguments.of(List.of("--server"), "--server needs a value"),
                Arguments.of(List.of("--verbose"), "unknown flag --verbose (see --help)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badCommandLines")
    void a_bad_command_line_is_named_in_one_line(List<String> args, String message) {
        assertThatThrownBy(() -> AgentOptions.parse(args)).isInstanceOf(AgentOptions.InvalidFlag.class)
                .hasMessage(message);
    }
}
