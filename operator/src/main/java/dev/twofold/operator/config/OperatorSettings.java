package dev.twofold.operator.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the operator is configured with (the parsed flags of {@code twofold operator}).
 *
 * @param namespace where the webhook Secrets and the leader Lease live
 * @param webhook how the API server reaches the admission webhook
 * @param servingSans the names in the webhook's serving certificate
 * @param metricsPort the port of {@code /metrics}, {@code /healthz} and {@code /readyz}; 0 picks a free one
 * @param leaderElection whether to take a Lease before reconciling
 * @param pki certificate lifetimes and the re-check interval
 * @param webhookConfigurationName the ValidatingWebhookConfiguration to own ({@value #WEBHOOK_CONFIGURATION} unless a
 *     second operator instance, e.g. a test's, needs its own)
 * @param policySelector a label selector limiting which MfaPolicies this instance handles; empty for all
 * @param issuerProbeInterval how often each OidcIssuer's discovery document and keys are fetched again for its
 *     status, and the longest back-off while its IdP cannot be reached
 * @param workloadIdentity whether to run the workload identity controllers: TrustDomain CAs and bundles,
 *     WorkloadCertificatePolicy status and the {@code twofold.dev/workload} signers (needs their CRDs installed)
 * @param bundlePropagation how long a new workload CA is in the trust bundles before it signs (peers must have it
 *     before they see anything it signed); 0 only where nothing caches bundles, e.g. tests
 * @param agentEndpoint the agent issuance endpoint, when served (only with {@code workloadIdentity})
 */
public record OperatorSettings(String namespace, WebhookEndpoint webhook, ServingSans servingSans, int metricsPort,
        boolean leaderElection, PkiSettings pki, String webhookConfigurationName, Optional<String> policySelector,
        Duration issuerProbeInterval, boolean workloadIdentity, Duration bundlePropagation,
        Optional<AgentEndpointSettings> agentEndpoint) {

    public static final String DEFAULT_NAMESPACE = "twofold-system";
    public static final int DEFAULT_METRICS_PORT = 9091;

    /** The Secret holding the serving CA ({@code ca.crt}, {@code ca.key}; the next/previous CA during rotation). */
    public static final String CA_SECRET = "twofold-webhook-ca";
    /** The Secret the webhook serves from ({@code tls.crt}, {@code tls.key}, {@code ca.crt}). */
    public static final String TLS_SECRET = "twofold-webhook-tls";
    /** The ValidatingWebhookConfiguration the operator owns by default. */
    public static final String WEBHOOK_CONFIGURATION = "twofold-mfa";
    /** The one webhook in it. */
    public static final String WEBHOOK_NAME = "mfa.twofold.dev";
    /** The leader election Lease, in {@link #namespace()}. */
    public static final String LEASE_NAME = "twofold-operator";
    /** The field manager and Event source of everything the operator writes. */
    public static final String FIELD_MANAGER = "twofold-operator";
    /** The default {@link #issuerProbeInterval()}. */
    public static final Duration DEFAULT_ISSUER_PROBE_INTERVAL = Duration.ofMinutes(5);
    /** The shortest {@link #issuerProbeInterval()}: IdPs are other people's servers. */
    public static final Duration MIN_ISSUER_PROBE_INTERVAL = Duration.ofSeconds(10);
    /** The default {@link #bundlePropagation()}: kubelets refresh projected ConfigMaps within about a minute. */
    public static final Duration DEFAULT_BUNDLE_PROPAGATION = Duration.ofMinutes(10);
    /**
     * The longest {@link #bundlePropagation()}: a sixth of the shortest TrustDomain CA lifetime (24h), so a scheduled
     * activation (at five sixths) still happens before the current CA expires.
     */
    public static final Duration MAX_BUNDLE_PROPAGATION = Duration.ofHours(4);

    public OperatorSettings {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(webhook, "webhook");
        Objects.requireNonNull(servingSans, "servingSans");
        Objects.requireNonNull(pki, "pki");
        Objects.requireNonNull(webhookConfigurationName, "webhookConfigurationName");
        Objects.requireNonNull(policySelector, "policySelector");
        Objects.requireNonNull(issuerProbeInterval, "issuerProbeInterval");
        if (issuerProbeInterval.compareTo(MIN_ISSUER_PROBE_INTERVAL) < 0) {
            throw new IllegalArgumentException("--issuer-probe-interval must be at least "
                    + MIN_ISSUER_PROBE_INTERVAL.toSeconds() + "s, got " + issuerProbeInterval.toSeconds() + "s");
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new IllegalArgumentException("--metrics-port must be 0-65535, got " + metricsPort);
        }
        Objects.requireNonNull(bundlePropagation, "bundlePropagation");
        if (bundlePropagation.isNegative() || bundlePropagation.compareTo(MAX_BUNDLE_PROPAGATION) > 0) {
            throw new IllegalArgumentException("--bundle-propagation must be between 0s and "
                    + MAX_BUNDLE_PROPAGATION.toHours() + "h, got " + bundlePropagation);
        }
        Objects.requireNonNull(agentEndpoint, "agentEndpoint");
        if (agentEndpoint.isPresent() && !workloadIdentity) {
            throw new IllegalArgumentException("the agent endpoint (--agent-port) needs --workload-identity");
        }
    }

    /** Settings with the default {@link #bundlePropagation()} and without the agent endpoint. */
    public OperatorSettings(String namespace, WebhookEndpoint webhook, ServingSans servingSans, int metricsPort,
            boolean leaderElection, PkiSettings pki, String webhookConfigurationName, Optional<String> policySelector,
            Duration issuerProbeInterval, boolean workloadIdentity) {
        this(namespace, webhook, servingSans, metricsPort, leaderElection, pki, webhookConfigurationName,
                policySelector, issuerProbeInterval, workloadIdentity, DEFAULT_BUNDLE_PROPAGATION, Optional.empty());
    }

    /** Settings without the workload identity controllers. */
    public OperatorSettings(String namespace, WebhookEndpoint webhook, ServingSans servingSans, int metricsPort,
            boolean leaderElection, PkiSettings pki, String webhookConfigurationName, Optional<String> policySelector,
            Duration issuerProbeInterval) {
        this(namespace, webhook, servingSans, metricsPort, leaderElection, pki, webhookConfigurationName,
                policySelector, issuerProbeInterval, false);
    }

    /** Settings with the default {@link #issuerProbeInterval()}. */
    public OperatorSettings(String namespace, WebhookEndpoint webhook, ServingSans servingSans, int metricsPort,
            boolean leaderElection, PkiSettings pki, String webhookConfigurationName, Optional<String> policySelector) {
        this(namespace, webhook, servingSans, metricsPort, leaderElection, pki, webhookConfigurationName,
                policySelector, DEFAULT_ISSUER_PROBE_INTERVAL);
    }
}
