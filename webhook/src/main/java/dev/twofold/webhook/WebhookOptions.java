package dev.twofold.webhook;

import dev.twofold.webhook.server.OneLine;
import dev.twofold.webhook.server.SecretRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The flags of {@code twofold webhook}.
 *
 * @param port the HTTPS port
 * @param bind the address both servers listen on
 * @param metricsPort the plain-HTTP port of /metrics, /healthz and /readyz
 * @param tlsSecret the Secret holding {@code tls.crt} and {@code tls.key}
 * @param impersonationProxies users allowed to impersonate {@code userextras/twofold.dev/*}
 * @param apiAudiences the API server's own audiences (its {@code --api-audiences}), which /authenticate accepts for
 *     tokens of a configured OidcIssuer
 */
public record WebhookOptions(int port, String bind, int metricsPort, SecretRef tlsSecret,
        Set<String> impersonationProxies, Set<String> apiAudiences) {

    public static final String USAGE = """
            usage: twofold webhook [flags]
              --port <port>                    HTTPS port for the API server (default 8443)
              --bind <address>                 address to listen on (default 0.0.0.0)
              --metrics-port <port>            plain-HTTP port for /metrics, /healthz, /readyz (default 9090)
              --tls-secret <namespace>/<name>  Secret with tls.crt and tls.key
                                               (default twofold-system/twofold-webhook-tls)
              --impersonation-proxies <users>  comma-separated users allowed to impersonate twofold.dev/* extras
                                               (default: none)
              --api-audiences <audiences>      comma-separated audiences of the API server: its --api-audiences,
                                               which default to its --service-account-issuer
                                               (default https://kubernetes.default.svc.cluster.local)
            """;

    public static final WebhookOptions DEFAULTS = new WebhookOptions(8443, "0.0.0.0", 9090,
            new SecretRef("twofold-system", "twofold-webhook-tls"), Set.of(),
            Set.of("https://kubernetes.default.svc.cluster.local"));

    public WebhookOptions {
        impersonationProxies = Set.copyOf(impersonationProxies);
        apiAudiences = Set.copyOf(apiAudiences);
    }

    /** A flag was unknown, lacked its value, or had a bad one; the message is one line for the user. */
    public static final class InvalidFlag extends Exception {

        private static final long serialVersionUID = 1L;

        InvalidFlag(String message) {
            super(message);
        }
    }

    /** Parses {@code --flag value} and {@code --flag=value} forms; later flags win. */
    public static WebhookOptions parse(List<String> args) throws InvalidFlag {
        int port = DEFAULTS.port();
        String bind = DEFAULTS.bind();
        int metricsPort = DEFAULTS.metricsPort();
        SecretRef tlsSecret = DEFAULTS.tlsSecret();
        Set<String> proxies = DEFAULTS.impersonationProxies();
        Set<String> audiences = DEFAULTS.apiAudiences();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new InvalidFlag("unexpected argument " + OneLine.quote(arg) + " (flags start with --)");
            }
            int equals = arg.indexOf('=');
            String flag = equals < 0 ? arg : arg.substring(0, equals);
            if (!List.of("--port", "--bind", "--metrics-port", "--tls-secret", "--impersonation-proxies",
                    "--api-audiences").contains(flag)) {
                throw new InvalidFlag("unknown flag " + OneLine.quote(flag) + " (see --help)");
            }
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new InvalidFlag("flag " + flag + " needs a value");
            }
            switch (flag) {
                case "--port" -> port = port(flag, value);
                case "--bind" -> bind = bind(value);
                case "--metrics-port" -> metricsPort = port(flag, value);
                case "--tls-secret" -> tlsSecret = secret(value);
                case "--api-audiences" -> audiences = list(flag, value, "audience");
                default -> proxies = list(flag, value, "user name");
            }
        }
        if (port == metricsPort) {
            throw new InvalidFlag("--port and --metrics-port must differ (both are " + port + ")");
        }
        return new WebhookOptions(port, bind, metricsPort, tlsSecret, proxies, audiences);
    }

    private static int port(String flag, String value) throws InvalidFlag {
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidFlag(flag + " " + OneLine.quote(value) + " is not a port number (1-65535)");
    }

    private static String bind(String value) throws InvalidFlag {
        if (value.isBlank() || value.chars().anyMatch(c -> c <= ' ' || c == '/')) {
            throw new InvalidFlag("--bind " + OneLine.quote(value) + " is not an address");
        }
        return value;
    }

    private static SecretRef secret(String value) throws InvalidFlag {
        try {
            return SecretRef.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidFlag("--tls-secret: " + e.getMessage());
        }
    }

    /** A comma-separated list of {@code what}s; an empty value is an explicit empty list. */
    private static Set<String> list(String flag, String value, String what) throws InvalidFlag {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            String trimmed = item.strip();
            if (trimmed.isEmpty()) {
                if (value.isBlank()) {
                    return Set.of();
                }
                throw new InvalidFlag(flag + " " + OneLine.quote(value) + " has an empty " + what);
            }
            items.add(trimmed);
        }
        return Set.copyOf(new LinkedHashSet<>(items));
    }
}
