package dev.twofold.e2e.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A child process of the local environment: started in its own session (so it outlives a short-lived launcher and
 * its whole tree can be stopped), output kept in a log file, identity kept in a pid file that records the start time
 * too (a recycled pid is never mistaken for ours).
 */
public final class ManagedProcess implements AutoCloseable {
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final String name;
    private final ProcessHandle handle;
    private final Path logFile;
    private final Path pidFile;

    private ManagedProcess(String name, ProcessHandle handle, Path logFile, Path pidFile) {
        this.name = name;
        this.handle = handle;
        this.logFile = logFile;
        this.pidFile = pidFile;
    }

    /** Starts {@code command} as {@code name}; its log goes to {@code <dir>/<name>.log}, its pid to {@code <dir>/<name>.pid}. */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> environment, Path dir) {
        Path log = dir.resolve(name + ".log");
        Path pid = dir.resolve(name + ".pid");
        List<String> argv = new ArrayList<>();
        argv.add("setsid");
        argv.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(dir);
            Process process = builder.start();
            ProcessHandle handle = process.toHandle();
            Files.writeString(pid, handle.pid() + " " + startOf(handle).map(Instant::toString).orElse("-") + "\n");
            return new ManagedProcess(name, handle, log, pid);
        } catch (IOException e) {
            throw new ProcessFailure(name + " could not be started (" + command.getFirst() + "): " + e.getMessage(), e);
        }
    }

    /** Waits until {@code ready} holds, failing early (with the log's tail) if the process exits first. */
    public void awaitReady(BooleanSupplier ready, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            if (!handle.isAlive()) {
                throw new ProcessFailure(name + " exited during start-up; last lines of " + logFile + ":\n" + logTail(40));
            }
            if (ready.getAsBoolean()) return;
            if (Instant.now().isAfter(deadline)) {
                throw new ProcessFailure(name + " was not ready within " + timeout.toSeconds() + "s; last lines of "
                        + logFile + ":\n" + logTail(40));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProcessFailure("interrupted while waiting for " + name, e);
            }
        }
    }

    public String name() { return name; }
    public long pid() { return handle.pid(); }
    public boolean isAlive() { return handle.isAlive(); }
    public Path logFile() { return logFile; }

    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Stops the process and everything it started: SIGTERM, then SIGKILL after a grace period. */
    @Override
    public void close() {
        stopTree(handle);
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // the pid file only helps a later 'down'; a stale one is recognised by its start time
        }
    }

    /** Kills the process and everything it started at once (SIGKILL): a crash, for tests of what survives one. */
    public void kill() {
        List<ProcessHandle> tree = new ArrayList<>(handle.descendants().toList());
        tree.add(handle);
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new ProcessFailure(name + " (pid " + p.pid() + ") survived SIGKILL for " + GRACE.toSeconds() + "s", e);
            }
        }
    }

    /**
     * Stops the process recorded in a pid file written by {@link #start}, if it is still the same process.
     * Returns whether something was stopped.
     */
    public static boolean stopRecorded(Path pidFile) {
        Optional<ProcessHandle> recorded = recorded(pidFile);
        recorded.ifPresent(ManagedProcess::stopTree);
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + pidFile, e);
        }
        return recorded.isPresent();
    }

    /** The live process a pid file names, if that pid still belongs to the process that was started. */
    public static Optional<ProcessHandle> recorded(Path pidFile) {
        if (!Files.isRegularFile(pidFile)) return Optional.empty();
        try {
            String[] fields = Files.readString(pidFile).trim().split(" ");
            Optional<ProcessHandle> handle = ProcessHandle.of(Long.parseLong(fields[0]));
            if (handle.isEmpty() || fields.length < 2 || fields[1].equals("-")) return handle;
            Instant recordedStart = Instant.parse(fields[1]);
            return handle.filter(h -> startOf(h).map(recordedStart::equals).orElse(false));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> startOf(ProcessHandle handle) {
        return handle.info().startInstant();
    }

    private static void stopTree(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);
        tree.forEach(ProcessHandle::destroy);
        Instant deadline = Instant.now().plus(GRACE);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception notYet) {
                p.destroyForcibly();
            }
        }
    }
}
