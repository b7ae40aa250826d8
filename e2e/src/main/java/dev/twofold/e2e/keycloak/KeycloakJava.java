package dev.twofold.e2e.keycloak;

import dev.twofold.e2e.process.ProcessFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The JDK that runs Keycloak (26.x needs 21 or newer, and the build's default JDK may be older) and the JVM options
 * it needs there, handed to {@code kc.sh} through the environment variables it reads.
 */
public record KeycloakJava(Path home, int feature) {
    public static final int MINIMUM_FEATURE = 21;

    public KeycloakJava {
        if (feature < MINIMUM_FEATURE) {
            throw new ProcessFailure("Keycloak needs Java " + MINIMUM_FEATURE + " or newer, but " + home + " is Java "
                    + feature + "; pass a newer JDK (e.g. /usr/lib/jvm/temurin-25-jdk-amd64)");
        }
    }

    /** The JDK at {@code home}, checked through its {@code release} file and {@code bin/java}. */
    public static KeycloakJava of(Path home) {
        if (!Files.isExecutable(home.resolve("bin/java"))) {
            throw new ProcessFailure("no JDK at " + home + " (bin/java is missing or not executable)");
        }
        Properties release = new Properties();
        try (var in = Files.newBufferedReader(home.resolve("release"))) {
            release.load(in);
        } catch (IOException e) {
            throw new ProcessFailure("cannot tell the Java version of " + home + ": " + e.getMessage(), e);
        }
        String version = release.getProperty("JAVA_VERSION", "").replace("\"", "");
        try {
            return new KeycloakJava(home, Runtime.Version.parse(version).feature());
        } catch (IllegalArgumentException e) {
            throw new ProcessFailure("cannot tell the Java version of " + home + " from JAVA_VERSION=" + version, e);
        }
    }

    /** The JDK running this process: right for tests, which the build runs on a new enough JDK. */
    public static KeycloakJava current() {
        return new KeycloakJava(Path.of(System.getProperty("java.home")), Runtime.version().feature());
    }

    /**
     * What {@code kc.sh} reads: the JDK, a small heap (the default is sized for servers, we run beside an API server
     * on two cores), and the flags newer JDKs want: jboss-threads resets thread locals through reflection into
     * {@code java.lang} (an IllegalAccessError at shutdown on Java 24+ otherwise), and Netty's use of
     * {@code sun.misc.Unsafe} would print a warning block into every log from Java 24 on.
     */
    public Map<String, String> environment() {
        String append = "--add-opens=java.base/java.lang=ALL-UNNAMED"
                + (feature >= 23 ? " --sun-misc-unsafe-memory-access=allow" : "");
        return Map.of(
                "JAVA_HOME", home.toString(),
                "JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m",
                "JAVA_OPTS_APPEND", append);
    }
}
