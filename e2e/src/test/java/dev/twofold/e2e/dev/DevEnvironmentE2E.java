package dev.twofold.e2e.dev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.e2e.process.Ports;
import dev.twofold.e2e.support.Command;
import dev.twofold.e2e.support.TestCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's run command, as a user types it: {@code ./twofold dev up}, {@code demo}, {@code down}, in an environment
 * of the test's own (its own directory and free ports, so a developer's running environment is not touched).
 */
class DevEnvironmentE2E {
    private static final Duration UP = Duration.ofMinutes(8);
    private static final Duration SHORT = Duration.ofMinutes(2);

    @TempDir
    Path devDir;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void ownDirectoryAndPorts() {
        env.put("TWOFOLD_DEV_DIR", devDir.toString());
        env.put("TWOFOLD_SKIP_BUILD", "1"); // Maven built the launcher's classes before this test phase
        env.put("TWOFOLD_DEV_ETCD_PORT", String.valueOf(Ports.free()));
        env.put("TWOFOLD_DEV_ETCD_PEER_PORT", String.valueOf(Ports.free()));
        env.put("TWOFOLD_DEV_APISERVER_PORT", String.valueOf(Ports.free()));
        env.put("TWOFOLD_DEV_KEYCLOAK_PORT", String.valueOf(Ports.free()));
    }

    @AfterEach
    void alwaysDown() {
        twofold(SHORT, "dev", "down");
    }

    @Test
    void up_demo_down_succeeds_twice_in_a_row_and_leaves_no_process() {
        for (int round = 1; round <= 2; round++) {
            var up = twofold(UP, "dev", "up");
            assertThat(up.exitCode()).as("dev up, round %d", round).isZero();
            assertThat(devDir.resolve("env.sh")).content()
                    .contains("export KUBECONFIG=", "export TWOFOLD_KUBECONFIG_ALICE=", "export TWOFOLD_KUBECONFIG_BOB=",
                            "export TWOFOLD_ISSUER_URL=https://127.0.0.1:" + env.get("TWOFOLD_DEV_KEYCLOAK_PORT") + "/realms/twofold");

            var again = twofold(SHORT, "dev", "up");
            assertThat(again.exitCode()).isZero();
            assertThat(again.output()).contains("already up");

            var demo = twofold(SHORT, "dev", "demo");
            assertThat(demo.exitCode()).as("dev demo, round %d", round).isZero();
            assertThat(demo.output()).contains("alice is oidc:alice, amr = [pwd otp]", "bob is oidc:bob, amr = [pwd]",
                    "tls.key, tls.crt and bundle.pem written for spiffe://demo.twofold.local/ns/demo/sa/web",
                    "every expectation held");

            var down = twofold(SHORT, "dev", "down");
            assertThat(down.exitCode()).isZero();
            assertThat(down.output()).contains("stopped etcd", "stopped kube-apiserver", "stopped keycloak");
            assertThat(processesUsing(devDir)).as("processes left after down, round %d", round).isEmpty();
            assertThat(devDir).doesNotExist();
        }
    }

    @Test
    void a_taken_port_is_named_in_the_error_and_down_still_cleans_up() throws IOException {
        int port = Integer.parseInt(env.get("TWOFOLD_DEV_APISERVER_PORT"));
        try (ServerSocket squatter = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            var up = twofold(UP, "dev", "up");

            assertThat(up.exitCode()).isEqualTo(1);
            assertThat(up.output()).contains("port " + port + " (for kube-apiserver) is already in use on 127.0.0.1");
            assertThat(up.output()).doesNotContain("\tat "); // no stack trace
        }
        assertThat(processesUsing(devDir)).as("a failed up leaves nothing running").isEmpty();
        assertThat(twofold(SHORT, "dev", "down").exitCode()).isZero();
        assertThat(processesUsing(devDir)).isEmpty();
    }

    @Test
    void keycloak_failing_to_start_is_reported_with_its_own_words_and_nothing_is_left_running() {
        env.put("KC_LOG_LEVEL", "no-such-level"); // Keycloak reads KC_* options from its environment and refuses this

        var up = twofold(UP, "dev", "up");

        assertThat(up.exitCode()).isEqualTo(1);
        assertThat(up.output()).contains("keycloak exited during start-up", "no-such-level");
        assertThat(processesUsing(devDir)).isEmpty();
        assertThat(twofold(SHORT, "dev", "down").exitCode()).isZero();
    }

    @Test
    void the_token_command_refuses_an_unknown_user_with_a_one_line_error() {
        var token = twofold(SHORT, "dev", "token", "mallory");

        assertThat(token.exitCode()).isEqualTo(1);
        assertThat(token.output().strip()).isEqualTo("twofold dev token: error: unknown user 'mallory' (known: alice, bob, carol)");
    }

    private Command.Result twofold(Duration timeout, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = TestCluster.projectRoot().resolve("twofold").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        return Command.run(TestCluster.projectRoot(), env, timeout, command);
    }

    /** Live processes whose command line mentions the directory: everything the environment started refers to it. */
    private static List<String> processesUsing(Path dir) {
        String needle = dir.toString();
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(needle))
                .filter(p -> !isZombie(p))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .toList();
    }

    private static boolean isZombie(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return true; // gone
        }
    }
}
