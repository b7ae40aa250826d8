package dev.twofold.e2e.dev;

import dev.twofold.e2e.process.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Stops every process the dev environment recorded (whole process trees) and removes its state. */
final class DevDown {
    private final DevLayout layout;

    DevDown(DevLayout layout) { this.layout = layout; }

    int run() {
        if (!Files.exists(layout.root())) {
            DevCli.say("nothing to stop: " + layout.root() + " does not exist");
            return 0;
        }
        stopAll(layout);
        deleteTree(layout.root());
        DevCli.say("removed " + layout.root());
        return 0;
    }

    /** Stops what the pid files under the state directory name; returns how many were running. */
    static int stopAll(DevLayout layout) {
        int stopped = 0;
        for (Path pidFile : pidFiles(layout)) {
            String name = pidFile.getFileName().toString().replace(".pid", "");
            if (ManagedProcess.stopRecorded(pidFile)) {
                DevCli.say("stopped " + name);
                stopped++;
            }
        }
        return stopped;
    }

    static List<Path> pidFiles(DevLayout layout) {
        if (!Files.isDirectory(layout.state())) return List.of();
        try (Stream<Path> files = Files.list(layout.state())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pid")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + layout.state(), e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not remove " + p, e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + dir, e);
        }
    }
}
