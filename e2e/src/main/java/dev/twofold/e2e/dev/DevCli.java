package dev.twofold.e2e.dev;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./twofold dev up | down | token <user> [--fresh] | status}. Errors are printed as one line naming the
 * cause (exit 1); usage errors exit 2. No stack traces: set TWOFOLD_DEBUG=1 to see them.
 */
public final class DevCli {
    private DevCli() {}

    public static void main(String[] args) {
        Path projectRoot = Path.of(System.getenv().getOrDefault("TWOFOLD_HOME", ".")).toAbsolutePath().normalize();
        DevLayout layout = DevLayout.of(projectRoot);
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        try {
            int exit = switch (args.length == 0 ? "" : args[0]) {
                case "up" -> new DevUp(layout).run();
                case "down" -> new DevDown(layout).run();
                case "status" -> new DevStatus(layout).run();
                case "token" -> DevToken.run(layout, rest);
                default -> {
                    System.err.println("usage: twofold dev up | demo | token <user> [--fresh] | down | status");
                    yield 2;
                }
            };
            System.exit(exit);
        } catch (RuntimeException e) {
            System.err.println("twofold dev " + (args.length == 0 ? "" : args[0]) + ": error: " + e.getMessage());
            if (System.getenv("TWOFOLD_DEBUG") != null) e.printStackTrace();
            System.exit(1);
        }
    }

    static void say(String message) {
        System.err.println("[dev] " + message);
    }
}
