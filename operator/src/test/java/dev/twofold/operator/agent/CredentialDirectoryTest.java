package dev.twofold.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialDirectoryTest {

    @TempDir
    Path dir;

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    @Test
    void the_three_files_are_links_into_one_version_and_the_key_is_private() throws Exception {
        new CredentialDirectory(dir, at("2026-11-26T12:00:00Z")).write("KEY-1", "CHAIN-1", "BUNDLE-1");

        assertThat(Files.readString(dir.resolve("tls.key"))).isEqualTo("KEY-1");
        assertThat(Files.readString(dir.resolve("tls.crt"))).isEqualTo("CHAIN-1");
        assertThat(Files.readString(dir.resolve("bundle.pem"))).isEqualTo("BUNDLE-1");
        for (String name : List.of("tls.key", "tls.crt", "bundle.pem")) {
            assertThat(Files.readSymbolicLink(dir.resolve(name))).isEqualTo(Path.of("..data", name));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void a_new_version_replaces_all_files_at_once_and_the_old_version_is_removed() throws Exception {
        new CredentialDirectory(dir, at("2026-11-26T12:00:00Z")).write("KEY-1", "CHAIN-1", "BUNDLE-1");
        Path first = dir.resolve(Files.readSymbolicLink(dir.resolve("..data")));

        new CredentialDirectory(dir, at("2026-11-26T12:30:00Z"))
                .write("KEY-2", "CHAIN-2", "BUNDLE-2");

        assertThat(Files.readString(dir.resolve("tls.key"))).isEqualTo("KEY-2");
        assertThat(Files.readString(dir.resolve("tls.crt"))).isEqualTo("CHAIN-2");
        assertThat(Files.readString(dir.resolve("bundle.pem"))).isEqualTo("BUNDLE-2");
        assertThat(first).doesNotExist();
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("..2026")))
                    .hasSize(1);
        }
    }

    @Test
    void a_plain_file_left_where_a_link_belongs_is_replaced() throws Exception {
        Files.writeString(dir.resolve("tls.crt"), "stale");

        new CredentialDirectory(dir, at("2026-11-26T12:00:00Z")).write("K", "C", "B");

        assertThat(Files.isSymbolicLink(dir.resolve("tls.crt"))).isTrue();
        assertThat(Files.readString(dir.resolve("tls.crt"))).isEqualTo("C");
    }
}
