package dev.twofold.operator.config;

import dev.twofold.webhook.server.SecretRef;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the command line of {@code twofold operator} into {@link OperatorSettings}. Flags take {@code --flag value}
 * or {@code --flag=value}; durations are written like {@code 30d}, {@code 12h}, {@code 1h30m} or {@code 90s}.
 */
public final class OperatorFlags {

    public static final String USAGE = """
            usage: twofold operator [flags]
              --namespace NS                 where the webhook Secrets and the leader Lease live (default twofold-system)
              --webhook-url URL              out of cluster: https URL of the admission endpoint, e.g.
                                             https://127.0.0.1:19443/admission/mfa
              --webhook-service NS/NAME:PORT in cluster: the webhook Service (default <namespace>/twofold-webhook:443)
              --webhook-dns-names A,B        DNS names of the serving certificate (default <service>.<ns>.svc, or the
                                             URL's host name)
              --webhook-ip-sans A,B          IP addresses of the serving certificate (default: the URL's host if an IP)
              --metrics-port PORT            /metrics, /healthz and /readyz (default 9091; 0 picks a free port)
              --leader-election[=BOOL]       take the Lease twofold-operator before reconciling (default true)
              --serving-cert-lifetime DUR    serving certificate lifetime, renewed at 2/3 (default 30d)
              --ca-lifetime DUR              serving CA lifetime, rotated at 2/3 (default 365d)
              --ca-rotation-overlap DUR      next CA published this long before it signs; previous CA kept this long
                                             after its last certificate is replaced (default 1h)
              --recheck-interval DUR         longest time between two certificate checks (default 10m)
              --webhook-configuration-name N the ValidatingWebhookConfiguration to own (default twofold-mfa)
              --policy-selector SELECTOR     only handle MfaPolicies with these labels, e.g. team=a (default: all)
              --issuer-probe-interval DUR    how often each OidcIssuer's discovery and keys are fetched for its
                                             status; also the longest retry back-off (default 5m, at least 10s)
              --workload-identity[=BOOL]     run TrustDomain CAs and bundles, WorkloadCertificatePolicy status and the
                                             twofold.dev/workload certificate signers (default false)
              --bundle-propagation DUR       a new workload CA is in every trust bundle this long before it signs
                                             (default 10m, at most 4h; kubelets refresh projected ConfigMaps in
                                             about a minute)
              --agent-port PORT              serve the agent issuance endpoint POST /v1/certificates over HTTPS on this
                                             port (needs --workload-identity; default: not served; 0 picks a free port)
              --agent-tls-secret NAME        its serving certificate Secret in --namespace (default twofold-webhook-tls,
                                             kept current by the operator: add the agent Service's name to
                                             --webhook-dns-names)
              --agent-audience AUD           the audience agents' service account tokens must carry (default twofold)
            """;

    private static final Set<String> VALUED = Set.of("--namespace", "--webhook-url", "--webhook-service",
            "--webhook-dns-names", "--webhook-ip-sans", "--metrics-port", "--serving-cert-lifetime", "--ca-lifetime",
            "--ca-rotation-overlap", "--recheck-interval", "--webhook-configuration-name", "--policy-selector",
            "--issuer-probe-interval", "--bundle-propagation", "--agent-port", "--agent-tls-secret",
            "--agent-audience");
    private static final String LEADER_ELECTION = "--leader-election";
    private static final String WORKLOAD_IDENTITY = "--workload-identity";
    private static final Pattern SERVICE = Pattern.compile("([a-z0-9][-a-z0-9]*)/([a-z0-9][-a-z0-9]*):([0-9]{1,5})");
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]+)(ms|d|h|m|s)");
    private static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private OperatorFlags() {
    }

    /** The settings the arguments describe; {@link UsageException} names the first problem found. */
    public static OperatorSettings parse(String... args) throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals(LEADER_ELECTION) || name.equals(WORKLOAD_IDENTITY)) {
                values.put(name, value == null ? "true" : value);
            } else if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException(name + " needs a value");
                    }
                    value = args[++i];
                }
                values.put(name, value);
            } else {
                throw new UsageException("unknown flag " + arg + " (see --help)");
            }
        }

        String namespace = values.getOrDefault("--namespace", OperatorSettings.DEFAULT_NAMESPACE);
        if (!namespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || namespace.length() > 63) {
            throw new UsageException("--namespace must be a namespace name, got \"" + namespace + "\"");
        }
        if (values.containsKey("--webhook-url") && values.containsKey("--webhook-service")) {
            throw new UsageException("--webhook-url and --webhook-service exclude each other");
        }
        WebhookEndpoint webhook = values.containsKey("--webhook-url")
                ? url(values.get("--webhook-url"))
                : service(values.getOrDefault("--webhook-service", namespace + "/twofold-webhook:443"));

        List<String> dnsNames = values.containsKey("--webhook-dns-names")
                ? dnsNames(values.get("--webhook-dns-names")) : null;
        List<InetAddress> ips = values.containsKey("--webhook-ip-sans")
                ? ipAddresses(values.get("--webhook-ip-sans")) : null;
        ServingSans sans = defaultSans(webhook, dnsNames, ips);

        int metricsPort = port("--metrics-port",
                values.getOrDefault("--metrics-port", String.valueOf(OperatorSettings.DEFAULT_METRICS_PORT)), 0);
        boolean leaderElection = bool(LEADER_ELECTION, values.getOrDefault(LEADER_ELECTION, "true"));
        PkiSettings pki;
        try {
            pki = new PkiSettings(
                    duration("--ca-lifetime", values, PkiSettings.DEFAULT_CA_LIFETIME),
                    duration("--serving-cert-lifetime", values, PkiSettings.DEFAULT_SERVING_CERT_LIFETIME),
                    duration("--ca-rotation-overlap", values, PkiSettings.DEFAULT_ROTATION_OVERLAP),
                    duration("--recheck-interval", values, PkiSettings.DEFAULT_RECHECK_INTERVAL));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        String configurationName = values.getOrDefault("--webhook-configuration-name",
                OperatorSettings.WEBHOOK_CONFIGURATION);
        if (!DNS_NAME.matcher(configurationName).matches() || configurationName.startsWith("*")) {
            throw new UsageException("--webhook-configuration-name must be a lower-case object name, got \""
                    + configurationName + "\"");
        }
        Optional<String> selector = Optional.ofNullable(values.get("--policy-selector")).map(String::strip);
        if (selector.isPresent() && selector.get().isEmpty()) {
            throw new UsageException("--policy-selector must not be empty");
        }
        Duration probeInterval = duration("--issuer-probe-interval", values,
                OperatorSettings.DEFAULT_ISSUER_PROBE_INTERVAL);
        if (probeInterval.compareTo(OperatorSettings.MIN_ISSUER_PROBE_INTERVAL) < 0) {
            throw new UsageException("--issuer-probe-interval must be at least "
                    + OperatorSettings.MIN_ISSUER_PROBE_INTERVAL.toSeconds() + "s, got \""
                    + values.get("--issuer-probe-interval") + "\"");
        }
        boolean workloadIdentity = bool(WORKLOAD_IDENTITY, values.getOrDefault(WORKLOAD_IDENTITY, "false"));
        Duration bundlePropagation = duration("--bundle-propagation", values,
                OperatorSettings.DEFAULT_BUNDLE_PROPAGATION);
        if (bundlePropagation.compareTo(OperatorSettings.MAX_BUNDLE_PROPAGATION) > 0) {
            throw new UsageException("--bundle-propagation must be at most "
                    + OperatorSettings.MAX_BUNDLE_PROPAGATION.toHours() + "h, got \""
                    + values.get("--bundle-propagation") + "\"");
        }
        Optional<AgentEndpointSettings> agent = agentEndpoint(values, namespace);
        if (agent.isPresent() && !workloadIdentity) {
            throw new UsageException("--agent-port needs --workload-identity");
        }
        return new OperatorSettings(namespace, webhook, sans, metricsPort, leaderElection, pki, configurationName,
                selector, probeInterval, workloadIdentity, bundlePropagation, agent);
    }

    private static Optional<AgentEndpointSettings> agentEndpoint(Map<String, String> values, String namespace)
            throws UsageException {
        if (!values.containsKey("--agent-port")) {
            for (String flag : List.of("--agent-tls-secret", "--agent-audience")) {
                if (values.containsKey(flag)) {
                    throw new UsageException(flag + " needs --agent-port");
                }
            }
            return Optional.empty();
        }
        int port = port("--agent-port", values.get("--agent-port"), 0);
        String secret = values.getOrDefault("--agent-tls-secret", OperatorSettings.TLS_SECRET);
        String audience = values.getOrDefault("--agent-audience", AgentEndpointSettings.DEFAULT_AUDIENCE).strip();
        if (audience.isEmpty()) {
            throw new UsageException("--agent-audience must not be empty");
        }
        try {
            return Optional.of(new AgentEndpointSettings(port, SecretRef.parse(namespace + "/" + secret), audience));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--agent-tls-secret: " + e.getMessage());
        }
    }

    private static WebhookEndpoint url(String text) throws UsageException {
        try {
            return new WebhookEndpoint.Url(new URI(text));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new UsageException("--webhook-url: " + (e instanceof URISyntaxException ? "not a URL: " + text
                    : e.getMessage()));
        }
    }

    private static WebhookEndpoint service(String text) throws UsageException {
        Matcher m = SERVICE.matcher(text);
        if (!m.matches()) {
            throw new UsageException("--webhook-service must be <namespace>/<name>:<port>, got \"" + text + "\"");
        }
        return new WebhookEndpoint.Service(m.group(1), m.group(2), port("--webhook-service", m.group(3), 1));
    }

    /** Absent names default to what the API server will dial: the Service's DNS name, or the URL's host. */
    private static ServingSans defaultSans(WebhookEndpoint webhook, List<String> dnsNames, List<InetAddress> ips)
            throws UsageException {
        List<String> dns = dnsNames;
        List<InetAddress> addresses = ips;
        if (dns == null && addresses == null) {
            dns = new ArrayList<>();
            addresses = new ArrayList<>();
            switch (webhook) {
                case WebhookEndpoint.Service service -> dns.add(service.dnsName());
                case WebhookEndpoint.Url url -> {
                    String host = url.url().getHost();
                    if (isIpLiteral(host)) {
                        addresses.add(ip(host));
                    } else {
                        dns.add(host.toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        }
        return new ServingSans(dns == null ? List.of() : dns, addresses == null ? List.of() : addresses);
    }

    private static List<String> dnsNames(String text) throws UsageException {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String name = part.strip();
            if (!DNS_NAME.matcher(name).matches() || name.length() > 253) {
                throw new UsageException("--webhook-dns-names: \"" + name + "\" is not a lower-case DNS name");
            }
            out.add(name);
        }
        return out;
    }

    private static List<InetAddress> ipAddresses(String text) throws UsageException {
        List<InetAddress> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String ip = part.strip();
            if (!isIpLiteral(ip)) {
                throw new UsageException("--webhook-ip-sans: \"" + ip + "\" is not an IP address");
            }
            out.add(ip(ip));
        }
        return out;
    }

    // Only literals: InetAddress.getByName would resolve a host name through DNS.
    private static boolean isIpLiteral(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        return bare.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || (bare.contains(":") && bare.matches("[0-9a-fA-F:.]+"));
    }

    private static InetAddress ip(String literal) throws UsageException {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new UsageException("\"" + literal + "\" is not an IP address");
        }
    }

    private static int port(String flag, String text, int min) throws UsageException {
        try {
            int port = Integer.parseInt(text);
            if (port >= min && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(flag + " must be a port number (" + min + "-65535), got \"" + text + "\"");
    }

    private static boolean bool(String flag, String text) throws UsageException {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new UsageException(flag + " must be true or false, got \"" + text + "\"");
        };
    }

    private static Duration duration(String flag, Map<String, String> values, Duration fallback)
            throws UsageException {
        String text = values.get(flag);
        if (text == null) {
            return fallback;
        }
        Duration parsed = parseDuration(text);
        if (parsed == null) {
            throw new UsageException(flag + " must be a duration such as 30d, 12h, 1h30m or 90s, got \"" + text
                    + "\"");
        }
        return parsed;
    }

    /** {@code 30d}, {@code 1h30m}, {@code 500ms}: a sequence of number-unit pairs; {@code null} when malformed. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION_PART.matcher(text);
        Duration total = Duration.ZERO;
        int at = 0;
        try {
            while (at < text.length() && m.find(at) && m.start() == at) {
                long amount = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "d" -> Duration.ofDays(amount);
                    case "h" -> Duration.ofHours(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    default -> Duration.ofMillis(amount);
                });
                at = m.end();
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
        return at == text.length() && at > 0 ? total : null;
    }
}
