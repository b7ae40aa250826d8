package dev.twofold.e2e.dev;

import dev.twofold.e2e.process.ManagedProcess;
import java.nio.file.Path;
import java.util.List;

/** Which recorded components are running. Exit 0 when all of them are, 1 otherwise. */
final class DevStatus {
    private final DevLayout layout;

    DevStatus(DevLayout layout) { this.layout = layout; }

    int run() {
        List<Path> pidFiles = DevDown.pidFiles(layout);
        if (pidFiles.isEmpty()) {
            DevCli.say("not running (no components recorded under " + layout.state() + ")");
            return 1;
        }
        boolean all = true;
        for (Path pidFile : pidFiles) {
            String name = pidFile.getFileName().toString().replace(".pid", "");
            var process = ManagedProcess.recorded(pidFile);
            all &= process.isPresent();
            DevCli.say(String.format("%-16s %s", name, process.map(p -> "running (pid " + p.pid() + ")").orElse("NOT running")));
        }
        return all ? 0 : 1;
    }

    static boolean allRunning(DevLayout layout) {
        List<Path> pidFiles = DevDown.pidFiles(layout);
        return !pidFiles.isEmpty() && pidFiles.stream().allMatch(p -> ManagedProcess.recorded(p).isPresent());
    }
}
