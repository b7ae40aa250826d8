package dev.twofold.operator.agent;

import dev.twofold.api.v1alpha1.KeyType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The parsed flags of {@code twofold agent}.
 *
 * @param server the operator's agent endpoint, {@code https://host:port} (the path is added)
 * @param tokenFile the projected service account token, re-read for every request (the kubelet rotates it)
 * @param serverCa PEM CA certificates to trust for the server; empty for the JDK's default trust store
 * @param directory where {@code tls.key}, {@code tls.crt} and {@code bundle.pem} are written
 * @param keyType the key generated for each certificate
 * @param once fetch one certificate and exit (an init container), instead of renewing forever
 * @param timeout with {@code once}: how long to keep trying before giving up
 */
public record AgentOptions(URI server, Path tokenFile, Optional<Path> serverCa, Path directory, KeyType keyType,
        boolean once, Duration timeout) {

    public static final String USAGE = """
            usage: twofold agent --server URL --dir DIR [flags]
              --server URL          the Twofold operator's agent endpoint, e.g. https://twofold-agent.twofold-system.svc
              --dir DIR             write tls.key, tls.crt (chain) and bundle.pem (trust bundle) here, atomically
              --token-file PATH     projected service account token with audience twofold
                                    (default /var/run/secrets/tokens/twofold)
              --server-ca PATH      PEM CA certificate(s) to trust for the server (default: the JDK's trust store)
              --key-type TYPE       ECDSAP256 (default), ECDSAP384, ED25519, RSA2048, RSA3072 or RSA4096
              --once                fetch one certificate and exit (for an init container)
              --timeout DUR         with --once: give up after this long (default 60s)
            Renews at half of each certificate's lifetime (up to 10% earlier, at random), with a new key each time;
            failed attempts are retried with exponential back-off.
            """;

    public static final Path DEFAULT_TOKEN_FILE = Path.of("/var/run/secrets/tokens/twofold");
    private static final Set<String> VALUED = Set.of("--server", "--dir", "--token-file", "--server-ca", "--key-type",
            "--timeout");

    public AgentOptions {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(tokenFile, "tokenFile");
        Objects.requireNonNull(serverCa, "serverCa");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** Thrown for a bad command line; the message names the problem. */
    public static final class InvalidFlag extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidFlag(String message) {
            super(message);
        }
    }

    public static AgentOptions parse(List<String> args) throws InvalidFlag {
        Map<String, String> values = new LinkedHashMap<>();
        boolean once = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("--once") && value == null) {
                once = true;
            } else if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new InvalidFlag(name + " needs a value");
                    }
                    value = args.get(++i);
                }
                values.put(name, value);
            } else {
                throw new InvalidFlag("unknown flag " + arg + " (see --help)");
            }
        }
        if (!values.containsKey("--server")) {
            throw new InvalidFlag("--server is required");
        }
        if (!values.containsKey("--dir")) {
            throw new InvalidFlag("--dir is required");
        }
        URI server;
        try {
            server = new URI(values.get("--server"));
        } catch (URISyntaxException e) {
            throw new InvalidFlag("--server: not a URL: " + values.get("--server"));
        }
        if (!"https".equals(server.getScheme()) || server.getHost() == null) {
            throw new InvalidFlag("--server must be an https URL with a host, got " + values.get("--server"));
        }
        KeyType keyType;
        try {
            keyType = KeyType.valueOf(values.getOrDefault("--key-type", "ECDSAP256").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidFlag("--key-type must be one of " + List.of(KeyType.values()) + ", got "
                    + values.get("--key-type"));
        }
        Duration timeout = Duration.ofSeconds(60);
        if (values.containsKey("--timeout")) {
            if (!once) {
                throw new InvalidFlag("--timeout only applies with --once");
            }
            timeout = seconds(values.get("--timeout"));
        }
        return new AgentOptions(server, Path.of(values.getOrDefault("--token-file", DEFAULT_TOKEN_FILE.toString())),
                Optional.ofNullable(values.get("--server-ca")).map(Path::of), Path.of(values.get("--dir")), keyType,
                once, timeout);
    }

    /** {@code 90s}, {@code 5m}: whole seconds or minutes. */
    private static Duration seconds(String text) throws InvalidFlag {
        try {
            if (text.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            if (text.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new InvalidFlag("--timeout must be a duration such as 90s or 5m, got " + text);
    }
}
