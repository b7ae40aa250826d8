package dev.twofold.operator;

import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The image's entry point, {@code twofold <command> [flags]}: one JVM, one class path, the command picks the
 * component's main class. The image has no shell, so this plays the part of the {@code ./twofold} script.
 *
 * <p>Main classes are looked up by name, so a command whose component is not part of a build fails with one line and
 * exit 2 instead of keeping the other commands from starting.
 */
public final class Launcher {

    /** The commands of the image, each with its main class and the logging configuration it defaults to. */
    public enum Command {
        OPERATOR("operator", "dev.twofold.operator.OperatorMain", Optional.of(OPERATOR_LOGGING)),
        WEBHOOK("webhook", "dev.twofold.webhook.WebhookMain", Optional.empty()), // WebhookMain picks its own
        AGENT("agent", "dev.twofold.operator.agent.AgentMain", Optional.of(OPERATOR_LOGGING));

        private final String word;
        private final String mainClass;
        private final Optional<String> logging;

        Command(String word, String mainClass, Optional<String> logging) {
            this.word = word;
            this.mainClass = mainClass;
            this.logging = logging;
        }

        public String word() {
            return word;
        }

        public String mainClass() {
            return mainClass;
        }

        static Optional<Command> named(String word) {
            return Arrays.stream(values()).filter(c -> c.word.equals(word)).findFirst();
        }
    }

    static final String OPERATOR_LOGGING = "twofold-operator-logback.xml";

    static final String USAGE = """
            usage: twofold <command> [flags]
              operator   the reconcilers, the webhook's serving certificate and configuration, the workload CA
              webhook    the HTTPS endpoints the API server calls (admission, authorization, authentication)
              agent      a pod's sidecar: fetches and renews its workload certificate into a directory
            'twofold <command> --help' lists the command's flags.
            """;

    /** What a command line comes to: run a main class, or stop with a message and an exit code. */
    public sealed interface Dispatch {
        record Run(Command command, MethodHandle main, String[] args) implements Dispatch {
        }

        record Stop(int exitCode, String message) implements Dispatch {
        }
    }

    private Launcher() {
    }

    public static void main(String[] args) throws Throwable {
        switch (dispatch(args, Launcher.class.getClassLoader())) {
            case Dispatch.Stop stop -> {
                PrintStream out = stop.exitCode() == 0 ? System.out : System.err;
                out.print(stop.message());
                out.flush();
                System.exit(stop.exitCode());
            }
            case Dispatch.Run run -> {
                run.command().logging.ifPresent(config -> {
                    if (System.getProperty("logback.configurationFile") == null) {
                        System.setProperty("logback.configurationFile", config);
                    }
                });
                run.main().invokeExact(run.args());
            }
        }
    }

    /** Resolves {@code args} without running anything: the command's main method, or why there is none. */
    public static Dispatch dispatch(String[] args, ClassLoader loader) {
        if (args.length == 0) return new Dispatch.Stop(2, USAGE);
        if (List.of("--help", "-h", "help").contains(args[0])) return new Dispatch.Stop(0, USAGE);
        Optional<Command> command = Command.named(args[0]);
        if (command.isEmpty()) {
            return new Dispatch.Stop(2, "twofold: unknown command '" + args[0] + "'\n" + USAGE);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            Class<?> main = Class.forName(command.get().mainClass, false, loader);
            MethodHandle handle = MethodHandles.publicLookup().findStatic(main, "main",
                    MethodType.methodType(void.class, String[].class));
            return new Dispatch.Run(command.get(), handle, rest);
        } catch (ClassNotFoundException e) {
            return new Dispatch.Stop(2, "twofold: the command '" + args[0] + "' is not part of this build ("
                    + command.get().mainClass + " is missing)\n");
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return new Dispatch.Stop(2, "twofold: " + command.get().mainClass + " has no public static main(String[])\n");
        }
    }
}
