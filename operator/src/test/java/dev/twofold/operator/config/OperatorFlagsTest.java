package dev.twofold.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OperatorFlagsTest {

    @Test
    void without_flags_the_operator_runs_in_cluster_with_the_documented_defaults() throws Exception {
        OperatorSettings settings = OperatorFlags.parse();

        assertThat(settings.namespace()).isEqualTo("twofold-system");
        assertThat(settings.webhook()).isEqualTo(new WebhookEndpoint.Service("twofold-system", "twofold-webhook", 443));
        assertThat(settings.servingSans().dnsNames()).containsExactly("twofold-webhook.twofold-system.svc");
        assertThat(settings.servingSans().ipAddresses()).isEmpty();
        assertThat(settings.metricsPort()).isEqualTo(9091);
        assertThat(settings.leaderElection()).isTrue();
        assertThat(settings.pki()).isEqualTo(PkiSettings.defaults());
        assertThat(settings.webhookConfigurationName()).isEqualTo("twofold-mfa");
        assertThat(settings.policySelector()).isEmpty();
        assertThat(settings.issuerProbeInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.bundlePropagation()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void the_bundle_propagation_is_a_duration_and_may_be_zero() throws Exception {
        assertThat(OperatorFlags.parse("--bundle-propagation", "3s").bundlePropagation())
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(OperatorFlags.parse("--bundle-propagation=0s").bundlePropagation()).isZero();
        assertThat(OperatorFlags.parse("--bundle-propagation=4h").bundlePropagation()).isEqualTo(Duration.ofHours(4));
    }

    @Test
    void the_issuer_probe_interval_is_a_duration() throws Exception {
        assertThat(OperatorFlags.parse("--issuer-probe-interval", "90s").issuerProbeInterval())
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(OperatorFlags.parse("--issuer-probe-interval=1h").issuerProbeInterval())
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void workload_identity_is_off_unless_asked_for() throws Exception {
        assertThat(OperatorFlags.parse().workloadIdentity()).isFalse();
        assertThat(OperatorFlags.parse("--workload-identity").workloadIdentity()).isTrue();
        assertThat(OperatorFlags.parse("--workload-identity=false").workloadIdentity()).isFalse();
    }

    @Test
    void the_agent_endpoint_is_served_only_when_given_a_port() throws Exception {
        assertThat(OperatorFlags.parse("--workload-identity").agentEndpoint()).isEmpty();
        AgentEndpointSettings agent = OperatorFlags.parse("--workload-identity", "--agent-port", "8443")
                .agentEndpoint().orElseThrow();
        assertThat(agent.port()).isEqualTo(8443);
        assertThat(agent.tlsSecret().toString()).isEqualTo("twofold-system/twofold-webhook-tls");
        assertThat(agent.audience()).isEqualTo("twofold");
        AgentEndpointSettings custom = OperatorFlags.parse("--namespace", "ops", "--workload-identity",
                "--agent-port=0", "--agent-tls-secret", "agent-tls", "--agent-audience", "spiffe-agents")
                .agentEndpoint().orElseThrow();
        assertThat(custom.tlsSecret().toString()).isEqualTo("ops/agent-tls");
        assertThat(custom.audience()).isEqualTo("spiffe-agents");
    }

    @Test
    void out_of_cluster_the_url_host_becomes_the_serving_certificates_ip_san() throws Exception {
        OperatorSettings settings = OperatorFlags.parse("--webhook-url", "https://127.0.0.1:19443/admission/mfa",
                "--leader-election=false", "--metrics-port=0", "--serving-cert-lifetime", "1h30m",
                "--ca-lifetime=2d");

        assertThat(settings.webhook()).isEqualTo(new WebhookEndpoint.Url(
                URI.create("https://127.0.0.1:19443/admission/mfa")));
        assertThat(settings.servingSans().ipAddresses()).containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThat(settings.servingSans().dnsNames()).isEmpty();
        assertThat(settings.leaderElection()).isFalse();
        assertThat(settings.metricsPort()).isZero();
        assertThat(settings.pki().servingCertLifetime()).isEqualTo(Duration.ofMinutes(90));
        assertThat(settings.pki().caLifetime()).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void explicit_names_replace_the_defaults() throws Exception {
        OperatorSettings settings = OperatorFlags.parse("--webhook-service", "sec/hook:8443",
                "--webhook-dns-names", "hook.sec.svc,hook.sec.svc.cluster.local", "--webhook-ip-sans", "10.0.0.1,::1");

        assertThat(settings.servingSans().dnsNames()).containsExactly("hook.sec.svc", "hook.sec.svc.cluster.local");
        assertThat(settings.servingSans().ipAddresses())
                .containsExactly(InetAddress.getByName("10.0.0.1"), InetAddress.getByName("::1"));
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(List.of("--bogus"), "unknown flag --bogus (see --help)"),
                Arguments.of(List.of("--namespace"), "--namespace needs a value"),
                Arguments.of(List.of("--namespace", "Twofold"), "--namespace must be a namespace name, got \"Twofold\""),
                Arguments.of(List.of("--webhook-url", "http://127.0.0.1/admission/mfa"),
                        "--webhook-url: the webhook URL must be https://host[:port]/path, got "
                                + "http://127.0.0.1/admission/mfa"),
                Arguments.of(List.of("--webhook-url", "https://a/x", "--webhook-service", "a/b:1"),
                        "--webhook-url and --webhook-service exclude each other"),
                Arguments.of(List.of("--webhook-service", "twofold-webhook"),
                        "--webhook-service must be <namespace>/<name>:<port>, got \"twofold-webhook\""),
                Arguments.of(List.of("--webhook-service", "a/b:70000"),
                        "--webhook-service must be a port number (1-65535), got \"70000\""),
                Arguments.of(List.of("--webhook-ip-sans", "localhost"),
                        "--webhook-ip-sans: \"localhost\" is not an IP address"),
                Arguments.of(List.of("--webhook-dns-names", "Bad_Name"),
                        "--webhook-dns-names: \"Bad_Name\" is not a lower-case DNS name"),
                Arguments.of(List.of("--metrics-port", "http"), "--metrics-port must be a port number (0-65535), got "
                        + "\"http\""),
                Arguments.of(List.of("--leader-election=maybe"), "--leader-election must be true or false, got "
                        + "\"maybe\""),
                Arguments.of(List.of("--ca-lifetime", "1y"),
                        "--ca-lifetime must be a duration such as 30d, 12h, 1h30m or 90s, got \"1y\""),
                Arguments.of(List.of("--serving-cert-lifetime", "400d"),
                        "--serving-cert-lifetime (PT9600H) must not exceed --ca-lifetime (PT8760H)"),
                Arguments.of(List.of("--ca-lifetime", "1h"),
                        "--serving-cert-lifetime (PT720H) must not exceed --ca-lifetime (PT1H)"),
                Arguments.of(List.of("--ca-rotation-overlap", "70d"),
                        "--ca-rotation-overlap (PT1680H) must be at most a sixth of --ca-lifetime (PT8760H)"),
                Arguments.of(List.of("--recheck-interval", "0s"), "--recheck-interval must be positive"),
                Arguments.of(List.of("--issuer-probe-interval", "5s"),
                        "--issuer-probe-interval must be at least 10s, got \"5s\""),
                Arguments.of(List.of("--bundle-propagation", "5h"),
                        "--bundle-propagation must be at most 4h, got \"5h\""),
                Arguments.of(List.of("--bundle-propagation", "-1s"),
                        "--bundle-propagation must be a duration such as 30d, 12h, 1h30m or 90s, got \"-1s\""),
                Arguments.of(List.of("--issuer-probe-interval", "often"),
                        "--issuer-probe-interval must be a duration such as 30d, 12h, 1h30m or 90s, got \"often\""),
                Arguments.of(List.of("--agent-port", "8443"), "--agent-port needs --workload-identity"),
                Arguments.of(List.of("--workload-identity", "--agent-audience", "x"),
                        "--agent-audience needs --agent-port"),
                Arguments.of(List.of("--workload-identity", "--agent-port", "https"),
                        "--agent-port must be a port number (0-65535), got \"https\""),
                Arguments.of(List.of("--workload-identity", "--agent-port", "1", "--agent-tls-secret", "Bad"),
                        "--agent-tls-secret: name \"Bad\" is not a valid Secret name (lower-case DNS subdomain)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badCommandLines")
    void a_bad_command_line_is_named_in_one_line(List<String> args, String message) {
        assertThatThrownBy(() -> OperatorFlags.parse(args.toArray(String[]::new)))
                .isInstanceOf(UsageException.class)
                .hasMessage(message);
    }

    @Test
    void durations_combine_units() {
        assertThat(OperatorFlags.parseDuration("1d2h3m4s500ms"))
                .isEqualTo(Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4).plusMillis(500));
        assertThat(OperatorFlags.parseDuration("")).isNull();
        assertThat(OperatorFlags.parseDuration("5")).isNull();
        assertThat(OperatorFlags.parseDuration("5m x")).isNull();
    }
}
