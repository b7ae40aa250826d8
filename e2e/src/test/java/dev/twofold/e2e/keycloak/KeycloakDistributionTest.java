package dev.twofold.e2e.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofold.e2e.process.ProcessFailure;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installing into the cache, with a stand-in distribution whose kc.sh only records how it was called. */
class KeycloakDistributionTest {
    private static final String FAKE_KC_SH = """
            #!/bin/sh
            # records the build call, as the real one would leave lib/quarkus behind
            echo "$@" >> "$(dirname "$0")/../build-calls"
            """;

    @TempDir Path dir;

    @Test
    void installs_the_zips_top_directory_once_with_permissions_a_marker_and_one_build() throws IOException {
        KeycloakDistribution distribution = new KeycloakDistribution(fakeZip("kc.zip", FAKE_KC_SH), "9.9.9");

        Path home = distribution.install(dir.resolve("cache"), KeycloakJava.current());
        Path again = distribution.install(dir.resolve("cache"), KeycloakJava.current());

        assertThat(home).isEqualTo(dir.resolve("cache/keycloak/9.9.9")).isEqualTo(again);
        assertThat(home.resolve("version.txt")).hasContent("Keycloak - Version 9.9.9");
        assertThat(Files.isExecutable(home.resolve("bin/kc.sh"))).as("kc.sh executable").isTrue();
        assertThat(home.resolve("build-calls"))
                .hasContent("build --db=dev-file --health-enabled=true --http-management-health-enabled=false");
        assertThat(home.resolve(".twofold-installed")).exists();
        assertThat(siblingsOf(home)).as("no partial directories left").noneMatch(name -> name.contains(".partial-"));
    }

    @Test
    void an_incomplete_install_and_leftover_partial_directories_are_redone() throws IOException {
        KeycloakDistribution distribution = new KeycloakDistribution(fakeZip("kc.zip", FAKE_KC_SH), "9.9.9");
        Path half = Files.createDirectories(dir.resolve("cache/keycloak/9.9.9/bin"));
        Files.writeString(half.resolve("stray"), "half-unpacked");
        Path partial = Files.createDirectories(dir.resolve("cache/keycloak/9.9.9.partial-123/lib"));

        Path home = distribution.install(dir.resolve("cache"), KeycloakJava.current());

        assertThat(home.resolve("bin/stray")).doesNotExist();
        assertThat(home.resolve("bin/kc.sh")).exists();
        assertThat(partial.getParent()).doesNotExist();
    }

    @Test
    void a_missing_zip_says_to_run_the_maven_build() {
        KeycloakDistribution distribution = new KeycloakDistribution(dir.resolve("absent.zip"), "9.9.9");

        assertThatThrownBy(() -> distribution.install(dir.resolve("cache"), KeycloakJava.current()))
                .isInstanceOf(ProcessFailure.class)
                .hasMessage("the Keycloak distribution " + dir.resolve("absent.zip") + " does not exist; "
                        + "run the Maven build first (mvn -q -DskipTests package), which downloads Keycloak");
    }

    @Test
    void a_failing_build_leaves_nothing_installed_and_shows_the_build_output() throws IOException {
        Path zip = fakeZip("broken.zip", "#!/bin/sh\necho 'ERROR: augmentation failed'\nexit 3\n");
        KeycloakDistribution distribution = new KeycloakDistribution(zip, "9.9.9");

        assertThatThrownBy(() -> distribution.install(dir.resolve("cache"), KeycloakJava.current()))
                .isInstanceOf(ProcessFailure.class)
                .hasMessageStartingWith("kc.sh build failed (exit 3); last lines of ")
                .hasMessageEndingWith(":\nERROR: augmentation failed");
        assertThat(dir.resolve("cache/keycloak/9.9.9")).doesNotExist();
        assertThat(siblingsOf(dir.resolve("cache/keycloak/9.9.9"))).noneMatch(name -> name.contains(".partial-"));
    }

    @Test
    void the_build_properties_name_the_downloaded_distribution() {
        KeycloakDistribution fromBuild = KeycloakDistribution.fromBuild();

        assertThat(fromBuild.version()).matches("26\\.\\d+\\.\\d+");
        assertThat(fromBuild.zip().getFileName().toString()).isEqualTo("keycloak-quarkus-dist-" + fromBuild.version() + ".zip");
    }

    private static List<String> siblingsOf(Path path) throws IOException {
        try (Stream<Path> files = Files.list(path.getParent())) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** A zip laid out like the real distribution: one top-level directory, an executable bin/kc.sh. */
    private Path fakeZip(String name, String kcSh) throws IOException {
        Path zip = dir.resolve(name);
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()),
                Map.of("create", "true", "enablePosixFileAttributes", "true"))) {
            Path top = Files.createDirectories(fs.getPath("/keycloak-9.9.9/bin"));
            Files.writeString(top.resolve("kc.sh"), kcSh);
            Files.setPosixFilePermissions(top.resolve("kc.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(fs.getPath("/keycloak-9.9.9/version.txt"), "Keycloak - Version 9.9.9");
            Files.setPosixFilePermissions(fs.getPath("/keycloak-9.9.9/version.txt"), PosixFilePermissions.fromString("rw-r--r--"));
        }
        return zip;
    }
}
