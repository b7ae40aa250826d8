package dev.twofold.operator.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a key, its chain and the trust bundle so that a reader never sees a key from one certificate with the chain
 * of another: the files go into a fresh hidden directory, then one {@code rename} of the {@code ..data} symlink
 * switches all three at once ({@code tls.key -> ..data/tls.key}, ...), as the kubelet does for projected volumes.
 */
final class CredentialDirectory {

    static final String KEY = "tls.key";
    static final String CHAIN = "tls.crt";
    static final String BUNDLE = "bundle.pem";
    private static final String DATA = "..data";
    private static final String DATA_TMP = "..data_tmp";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    private final Path directory;
    private final Clock clock;

    CredentialDirectory(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    void write(String keyPem, String chainPem, String bundlePem) throws IOException {
        Files.createDirectories(directory);
        Path version = Files.createDirectory(directory.resolve(".." + STAMP.format(clock.instant()) + "."
                + ProcessHandle.current().pid()));
        writeFile(version.resolve(KEY), keyPem, "rw-------");
        writeFile(version.resolve(CHAIN), chainPem, "rw-r--r--");
        writeFile(version.resolve(BUNDLE), bundlePem, "rw-r--r--");

        Path temporary = directory.resolve(DATA_TMP);
        Files.deleteIfExists(temporary);
        Files.createSymbolicLink(temporary, version.getFileName());
        Files.move(temporary, directory.resolve(DATA), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        for (String name : List.of(KEY, CHAIN, BUNDLE)) {
            Path link = directory.resolve(name);
            if (!Files.isSymbolicLink(link)) {
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, Path.of(DATA, name));
            }
        }
        removeOldVersions(version);
    }

    private static void writeFile(Path file, String content, String permissions) throws IOException {
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own permissions apply
        }
    }

    private void removeOldVersions(Path current) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "..[0-9]*")) {
            for (Path entry : entries) {
                if (!entry.equals(current) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> files = Files.walk(entry)) {
                        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(file);
                        }
                    }
                }
            }
        }
    }
}
