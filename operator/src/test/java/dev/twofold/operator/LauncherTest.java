package dev.twofold.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.operator.Launcher.Dispatch;
import dev.twofold.webhook.WebhookMain;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LauncherTest {

    private static final ClassLoader LOADER = LauncherTest.class.getClassLoader();

    @Test
    @DisplayName("`twofold operator --flags` runs OperatorMain with the flags after the command")
    void operatorRunsOperatorMain() {
        Dispatch dispatch = Launcher.dispatch(new String[] {"operator", "--leader-election", "--metrics-port=9091"},
                LOADER);
        assertThat(dispatch).isInstanceOfSatisfying(Dispatch.Run.class, run -> {
            assertThat(run.command()).isEqualTo(Launcher.Command.OPERATOR);
            assertThat(run.args()).containsExactly("--leader-election", "--metrics-port=9091");
        });
        assertThat(Launcher.Command.OPERATOR.mainClass()).isEqualTo(OperatorMain.class.getName());
    }

    @Test
    @DisplayName("`twofold webhook` runs WebhookMain")
    void webhookRunsWebhookMain() {
        assertThat(Launcher.dispatch(new String[] {"webhook"}, LOADER)).isInstanceOfSatisfying(Dispatch.Run.class,
                run -> assertThat(run.args()).isEmpty());
        assertThat(Launcher.Command.WEBHOOK.mainClass()).isEqualTo(WebhookMain.class.getName());
    }

    @Test
    @DisplayName("a command whose main class is not in the build stops with one line and exit 2")
    void missingComponentSaysSo() {
        ClassLoader bootOnly = new URLClassLoader(new URL[0], null);
        assertThat(Launcher.dispatch(new String[] {"agent", "--help"}, bootOnly)).isEqualTo(new Dispatch.Stop(2,
                "twofold: the command 'agent' is not part of this build (dev.twofold.operator.agent.AgentMain is "
                        + "missing)\n"));
    }

    @Test
    @DisplayName("no command prints the usage and exits 2; --help prints it and exits 0")
    void usage() {
        assertThat(Launcher.dispatch(new String[0], LOADER)).isEqualTo(new Dispatch.Stop(2, Launcher.USAGE));
        assertThat(Launcher.dispatch(new String[] {"--help"}, LOADER)).isEqualTo(new Dispatch.Stop(0, Launcher.USAGE));
        assertThat(Launcher.USAGE).contains("operator", "webhook", "agent");
    }

    @Test
    @DisplayName("an unknown command is named in the error, followed by the usage, exit 2")
    void unknownCommand() {
        assertThat(Launcher.dispatch(new String[] {"dev", "up"}, LOADER)).isEqualTo(new Dispatch.Stop(2,
                "twofold: unknown command 'dev'\n" + Launcher.USAGE));
    }
}
