package dev.twofold.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command line as a user would, with a deadline; stdout and stderr together, as a terminal shows them. */
public final class Command {
    /** What a finished command left behind. */
    public record Result(int exitCode, String output) {}

    private Command() {}

    public static Result run(Path workDir, Map<String, String> environment, Duration timeout, String... command) {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            var output = new java.io.ByteArrayOutputStream();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    process.getInputStream().transferTo(output);
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
            }
            reader.join(5_000);
            String text = output.toString(StandardCharsets.UTF_8);
            System.out.println("$ " + String.join(" ", command) + "  (exit " + process.exitValue() + ")\n" + text);
            return new Result(process.exitValue(), text);
        } catch (IOException e) {
            throw new AssertionError("could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
