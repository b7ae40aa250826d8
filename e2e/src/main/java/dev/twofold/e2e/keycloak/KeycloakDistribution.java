package dev.twofold.e2e.keycloak;

import dev.twofold.e2e.process.ProcessFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Keycloak server distribution that Maven downloaded, installed once into the cache
 * ({@code <cache>/keycloak/<version>/}) and pre-built, so that every start is a fast {@code start --optimized}.
 * <p>
 * Installing is atomic: the zip is unpacked and built in a temporary directory beside the target and renamed into
 * place with a marker file inside; a directory without the right marker (an older layout, different build options,
 * someone's manual edits) is thrown away and redone. A file lock keeps two processes from doing it at once.
 */
public record KeycloakDistribution(Path zip, String version) {
    /**
     * Build-time options, baked in by {@code kc.sh build}. Health is served on the main HTTPS port (not the separate
     * management port 9000, which two servers on one machine would fight over); the database file lives in each
     * server's state directory, chosen at start.
     */
    static final List<String> BUILD_OPTIONS = List.of(
            "--db=dev-file", "--health-enabled=true", "--http-management-health-enabled=false");
    private static final String MARKER = ".twofold-installed";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
    private static final Object IN_THIS_PROCESS = new Object(); // FileLock only excludes other processes

    /** The distribution this build of Twofold was made with, as recorded in {@code twofold-build.properties}. */
    public static KeycloakDistribution fromBuild() {
        Properties build = new Properties();
        try (InputStream in = KeycloakDistribution.class.getResourceAsStream("/twofold-build.properties")) {
            if (in == null) throw new ProcessFailure(notBuilt("twofold-build.properties is not on the classpath"));
            build.load(in);
        } catch (IOException e) {
            throw new ProcessFailure(notBuilt("twofold-build.properties is unreadable: " + e.getMessage()), e);
        }
        String zip = build.getProperty("keycloak.dist.zip", "");
        String version = build.getProperty("keycloak.version", "");
        if (zip.isBlank() || zip.contains("${") || version.isBlank() || version.contains("${")) {
            throw new ProcessFailure(notBuilt("twofold-build.properties was not filled in by Maven"));
        }
        return new KeycloakDistribution(Path.of(zip), version);
    }

    /** {@code $TWOFOLD_CACHE}, or {@code ~/.cache/twofold}. */
    public static Path defaultCacheRoot() {
        String cache = System.getenv("TWOFOLD_CACHE");
        return cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "twofold");
    }

    /**
     * Returns Keycloak's home directory (the one with {@code bin/kc.sh}), unpacking and building it first if the cache
     * does not hold a complete one. Progress goes to stderr: the first call takes a while.
     */
    public Path install(Path cacheRoot, KeycloakJava java) {
        Path parent = cacheRoot.resolve("keycloak").toAbsolutePath();
        Path home = parent.resolve(version);
        if (complete(home)) return home;
        synchronized (IN_THIS_PROCESS) {
            try {
                Files.createDirectories(parent);
                try (FileChannel channel = FileChannel.open(parent.resolve(version + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    channel.lock(); // released when the channel closes
                    if (!complete(home)) installLocked(parent, home, java); // else another process finished meanwhile
                    return home;
                }
            } catch (IOException e) {
                throw new ProcessFailure("could not install Keycloak " + version + " into " + home + ": " + e.getMessage(), e);
            }
        }
    }

    private void installLocked(Path parent, Path home, KeycloakJava java) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new ProcessFailure(notBuilt("the Keycloak distribution " + zip + " does not exist"));
        }
        Instant start = Instant.now();
        try (Stream<Path> leftovers = Files.list(parent)) {
            for (Path p : leftovers.filter(p -> p.getFileName().toString().startsWith(version + ".partial-")).toList()) {
                deleteTree(p); // an install that was interrupted; we hold the lock, so nobody is still writing it
            }
        }
        if (Files.exists(home)) {
            progress("found an incomplete or outdated " + home + "; installing it again");
            deleteTree(home);
        }
        Path partial = Files.createTempDirectory(parent, version + ".partial-");
        try {
            progress("unpacking " + zip.getFileName() + " into " + home + " (once)");
            unpack(partial);
            progress("unpacked in " + seconds(start) + "; running kc.sh build " + String.join(" ", BUILD_OPTIONS) + " (once)");
            build(partial, java);
            Files.writeString(partial.resolve(MARKER), expectedMarker());
            // createTempDirectory made it private; the install is meant to be shared like the rest of the cache
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteTree(partial); // the next attempt would, but 170 MB should not wait for it
            throw e;
        }
        progress("Keycloak " + version + " ready in " + home + " after " + seconds(start));
    }

    private boolean complete(Path home) {
        try {
            return Files.readString(home.resolve(MARKER)).equals(expectedMarker());
        } catch (IOException e) {
            return false;
        }
    }

    /** The marker records what was built, so changing the build options invalidates old installs. */
    private String expectedMarker() {
        return "keycloak " + version + "\nbuild " + String.join(" ", BUILD_OPTIONS) + "\n";
    }

    /** Copies the zip's single top-level directory into {@code target}, keeping the Unix permissions it records. */
    private void unpack(Path target) throws IOException {
        try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("enablePosixFileAttributes", "true"));
             Stream<Path> entries = Files.walk(fs.getPath("/"))) {
            Path root = fs.getPath("/");
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Path relative = root.relativize(entry);
                if (relative.toString().isEmpty() || relative.getNameCount() < 2) continue; // "/" and "keycloak-x.y.z/"
                Path destination = target.resolve(relative.subpath(1, relative.getNameCount()).toString()).normalize();
                if (!destination.startsWith(target)) throw new IOException("zip entry escapes the target: " + entry);
                if (Files.isDirectory(entry)) {
                    Files.createDirectories(destination);
                } else {
                    Files.createDirectories(destination.getParent());
                    Files.copy(entry, destination, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(destination, Files.getPosixFilePermissions(entry));
                }
            }
        }
        if (!Files.isExecutable(target.resolve("bin/kc.sh"))) {
            throw new ProcessFailure(zip + " does not look like a Keycloak distribution: no executable bin/kc.sh inside");
        }
    }

    private void build(Path home, KeycloakJava java) throws IOException {
        Path log = home.getParent().resolve(version + "-build.log");
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "build"));
        command.addAll(BUILD_OPTIONS);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(java.environment());
        Process process = builder.start();
        try {
            if (!process.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new ProcessFailure("kc.sh build did not finish within " + BUILD_TIMEOUT.toMinutes() + " min; see " + log);
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ProcessFailure("interrupted while building Keycloak", e);
        }
        if (process.exitValue() != 0) {
            throw new ProcessFailure("kc.sh build failed (exit " + process.exitValue() + "); last lines of " + log + ":\n"
                    + tail(log, 30));
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static String notBuilt(String problem) {
        return problem + "; run the Maven build first (mvn -q -DskipTests package), which downloads Keycloak";
    }

    private static String seconds(Instant since) {
        return String.format("%.1f s", Duration.between(since, Instant.now()).toMillis() / 1000.0);
    }

    private static void progress(String line) {
        System.err.println("[keycloak] " + line);
    }
}
