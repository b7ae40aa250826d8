package dev.twofold.operator;

import dev.twofold.operator.config.OperatorSettings;
import dev.twofold.operator.dependent.SecondaryWriter;
import dev.twofold.operator.dependent.WebhookConfigurationResource;
import dev.twofold.operator.metrics.OperatorMetrics;
import dev.twofold.operator.metrics.WorkloadMetrics;
import dev.twofold.operator.pki.CertificateMinter;
import dev.twofold.operator.pki.WebhookPki;
import dev.twofold.operator.reconciler.MfaPolicyReconciler;
import dev.twofold.operator.reconciler.TrustDomainReconciler;
import dev.twofold.operator.reconciler.WorkloadCertificatePolicyReconciler;
import dev.twofold.operator.reconciler.OidcIssuerReconciler;
import dev.twofold.operator.reconciler.WebhookReconciler;
import dev.twofold.operator.status.EventRecorder;
import dev.twofold.operator.status.IssuerStatusAggregator;
import dev.twofold.operator.status.PolicyStatusAggregator;
import dev.twofold.operator.workload.attestation.Attestor;
import dev.twofold.operator.workload.bundle.ClusterTrustBundlePublisher;
import dev.twofold.operator.workload.bundle.TrustBundlePublisher;
import dev.twofold.operator.workload.ca.ActiveCas;
import dev.twofold.operator.workload.ca.CaFactory;
import dev.twofold.operator.workload.ca.CaRotation;
import dev.twofold.operator.workload.cluster.DeferredClusterView;
import dev.twofold.operator.workload.cluster.InformerClusterView;
import dev.twofold.operator.workload.cluster.LiveClusterView;
import dev.twofold.operator.workload.issuance.AgentEndpoint;
import dev.twofold.operator.workload.issuance.AgentServer;
import dev.twofold.operator.workload.issuance.ApiServerTokenReviewer;
import dev.twofold.operator.workload.issuer.CertificateProfileValidator;
import dev.twofold.operator.workload.issuer.CsrVerifier;
import dev.twofold.operator.workload.issuer.JcaCaSigner;
import dev.twofold.operator.workload.issuer.ProofOfPossession;
import dev.twofold.operator.workload.issuer.SignatureVerifier;
import dev.twofold.operator.workload.issuer.WorkloadIssuer;
import dev.twofold.operator.workload.signer.CertificateSigningRequestSigner;
import dev.twofold.operator.workload.signer.PodCertificateRequestSigner;
import dev.twofold.operator.workload.signer.PolicyCounters;
import dev.twofold.operator.workload.signer.WorkloadSigning;
import dev.twofold.webhook.oidc.IssuerProbe;
import dev.twofold.webhook.server.JsonCodec;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator assembled from its parts: a JOSDK {@link Operator} with the MfaPolicy and OidcIssuer status
 * controllers and the webhook controller, on the given client, clock, randomness and meter registry.
 * {@link OperatorMain} wires it from flags; tests build it in-process with an admin client.
 */
public final class TwofoldOperator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TwofoldOperator.class);

    private final OperatorSettings settings;
    private final Operator operator;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean leading;
    /** Workload identity parts started after the operator; {@code null} unless enabled. */
    private final WorkloadParts workload;
    /** With leader election: hands the Lease over when stopping gracefully. */
    private final LeaseRelease leaseRelease;

    /** The workload identity parts that live outside JOSDK: the attestation caches and the signers. */
    private record WorkloadParts(KubernetesClient client, WorkloadSigning signing, ProofOfPossession proofs,
            ActiveCas cas, PolicyCounters counters, EventRecorder events, WorkloadMetrics metrics,
            MeterRegistry registry, Clock clock, AtomicReference<InformerClusterView> view,
            AtomicReference<PodCertificateRequestSigner> pcrSigner,
            AtomicReference<CertificateSigningRequestSigner> csrSigner, AtomicReference<AgentServer> agent) {
    }

    /**
     * @param onLeadershipLost runs when leader election is on and the Lease is lost while not stopping: the process
     *     must end then, so two operators never reconcile at once ({@link OperatorMain} exits)
     */
    public TwofoldOperator(KubernetesClient client, OperatorSettings settings, Clock clock, SecureRandom random,
            MeterRegistry registry, Runnable onLeadershipLost) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.leading = new AtomicBoolean(!settings.leaderElection());
        this.leaseRelease = settings.leaderElection()
                ? new LeaseRelease(client, settings.namespace(), OperatorSettings.LEASE_NAME, identity(), clock) : null;
        // JOSDK 5.2.3 tags its meters with "group" only for non-core kinds; Prometheus refuses a name whose tag keys
        // differ, so the Namespace controller's meters would hide the MfaPolicy controller's. Give core kinds one.
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (!id.getName().startsWith("operator.sdk.")) {
                    return id;
                }
                Meter.Id mapped = id;
                for (String prefix : List.of("", "resource.")) {
                    if (id.getTag(prefix + "kind") != null && id.getTag(prefix + "group") == null) {
                        mapped = mapped.withTag(Tag.of(prefix + "group", "core"));
                    }
                }
                return mapped;
            }
        });
        OperatorMetrics metrics = new OperatorMetrics(registry, clock);
        metrics.leader(leading::get);
        EventRecorder events = new EventRecorder(client, clock);
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    // the caller owns the client (tests share theirs)
                    .withCloseClientOnStop(false)
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                    .withReconciliationTerminationTimeout(Duration.ofSeconds(10));
            if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(OperatorSettings.LEASE_NAME,
                        settings.namespace(), LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, identity(),
                        new LeaderCallbacks(() -> {
                            leading.set(true);
                            log.info("leader election: leading lease={}/{}", settings.namespace(),
                                    OperatorSettings.LEASE_NAME);
                        }, () -> {
                            leading.set(false);
                            if (!stopping.get()) {
                                log.error("leader election: lost the lease {}/{}; stopping", settings.namespace(),
                                        OperatorSettings.LEASE_NAME);
                                onLeadershipLost.run();
                            }
                        }, leader -> log.info("leader election: leader is {}", leader)),
                        // JOSDK would call System.exit from the callback, also during a graceful stop (from a
                        // shutdown hook that deadlocks); we decide in the callback above instead.
                        false));
            }
        });

        // Transient API errors: back off up to a minute, never give up (a resync also comes every interval).
        GenericRetry retry = new GenericRetry().setInitialInterval(Duration.ofMillis(500)).setIntervalMultiplier(2)
                .setMaxInterval(Duration.ofMinutes(1).toMillis()).withoutMaxAttempts();
        operator.register(new MfaPolicyReconciler(new PolicyStatusAggregator(), events, clock), o -> {
            o.withRetry(retry).withFieldManager(OperatorSettings.FIELD_MANAGER);
            settings.policySelector().ifPresent(o::withLabelSelector);
        });
        // Probing an IdP: back off from 2 s up to the probe interval, so an outage is never probed less often than a
        // healthy issuer is.
        GenericRetry probeRetry = new GenericRetry().setInitialInterval(Duration.ofSeconds(2)).setIntervalMultiplier(2)
                .setMaxInterval(settings.issuerProbeInterval().toMillis()).withoutMaxAttempts();
        operator.register(new OidcIssuerReconciler(IssuerProbe.https(), new IssuerStatusAggregator(), events, clock,
                settings.issuerProbeInterval()), o -> o.withRetry(probeRetry)
                .withFieldManager(OperatorSettings.FIELD_MANAGER));
        WebhookPki pki = new WebhookPki(settings.pki(), settings.servingSans(), new CertificateMinter(random));
        WebhookReconciler webhook = new WebhookReconciler(settings, pki,
                new WebhookConfigurationResource(settings.webhookConfigurationName(), settings.webhook()), new SecondaryWriter(client), events, metrics,
                clock);
        operator.<Namespace>register(webhook, o -> o
                .withLabelSelector(WebhookReconciler.primarySelector(settings.namespace()))
                .withRetry(retry)
                .withReconciliationMaxInterval(settings.pki().recheckInterval())
                .withFieldManager(OperatorSettings.FIELD_MANAGER));
        this.workload = settings.workloadIdentity()
                ? registerWorkloadIdentity(client, settings, clock, random, registry, events, retry) : null;
        if (client.namespaces().withName(settings.namespace()).get() == null) {
            log.warn("namespace {} does not exist; the webhook Secrets and configuration wait for it",
                    settings.namespace());
        }
    }

    private WorkloadParts registerWorkloadIdentity(KubernetesClient client, OperatorSettings settings, Clock clock,
            SecureRandom random, MeterRegistry registry, EventRecorder events, GenericRetry retry) {
        WorkloadMetrics metrics = new WorkloadMetrics(registry, clock);
        ActiveCas cas = new ActiveCas();
        PolicyCounters counters = new PolicyCounters();
        operator.register(new TrustDomainReconciler(client, settings.namespace(), new CaFactory(clock, random),
                new CaRotation(clock, settings.bundlePropagation()), cas, new TrustBundlePublisher(client),
                new ClusterTrustBundlePublisher(client), events, metrics, clock), o -> o.withRetry(retry).withFieldManager(OperatorSettings.FIELD_MANAGER));
        operator.register(new WorkloadCertificatePolicyReconciler(counters, events, clock),
                o -> o.withRetry(retry).withFieldManager(OperatorSettings.FIELD_MANAGER));
        AtomicReference<InformerClusterView> view = new AtomicReference<>();
        // The cached attestor reads the view once started; until then it reports nothing synced (see start()).
        Attestor cached = new Attestor(new DeferredClusterView(view));
        WorkloadIssuer issuer = new WorkloadIssuer(clock, random, JcaCaSigner.jdk(random),
                CertificateProfileValidator.bouncyCastle());
        WorkloadSigning signing = new WorkloadSigning(cached, new Attestor(new LiveClusterView(client)), cas, issuer);
        return new WorkloadParts(client, signing, new ProofOfPossession(new SignatureVerifier()), cas, counters,
                events, metrics, registry, clock, view, new AtomicReference<>(), new AtomicReference<>(),
                new AtomicReference<>());
    }

    private void startWorkloadIdentity() {
        InformerClusterView view = InformerClusterView.start(workload.client());
        workload.view().set(view);
        // Only the leader signs (it alone holds the active CAs); a standby keeps its caches warm for a takeover.
        BooleanSupplier ready = () -> leading.get() && view.synced();
        PodCertificateRequestSigner signer = new PodCertificateRequestSigner(workload.client(), ready, view,
                workload.proofs(), workload.signing(), workload.counters(), workload.events(), workload.metrics(),
                workload.clock());
        signer.start();
        workload.pcrSigner().set(signer);
        CertificateSigningRequestSigner csrSigner = new CertificateSigningRequestSigner(workload.client(),
                ready, new CsrVerifier(new SignatureVerifier()), workload.signing(), workload.counters(),
                workload.events(), workload.metrics(), workload.clock());
        csrSigner.start();
        workload.csrSigner().set(csrSigner);
        settings.agentEndpoint().ifPresent(agent -> {
            AgentEndpoint endpoint = new AgentEndpoint(new ApiServerTokenReviewer(workload.client()), agent.audience(),
                    new CsrVerifier(new SignatureVerifier()), workload.signing(), workload.cas(), ready, view,
                    workload.counters(), workload.events(), workload.metrics(), workload.clock(), new JsonCodec());
            try {
                workload.agent().set(AgentServer.start(workload.client(), agent, endpoint, workload.registry(),
                        workload.clock()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve the agent endpoint on port " + agent.port(), e);
            }
        });
    }

    /** Starts the informers and, with leader election, the Lease; returns once started (leading or standing by). */
    public void start() {
        operator.start();
        if (workload != null) {
            startWorkloadIdentity();
        }
        started.set(true);
        log.info("operator started namespace={} leaderElection={} webhook={} issuerProbeInterval={}",
                settings.namespace(), settings.leaderElection(), settings.webhook(), settings.issuerProbeInterval());
    }

    /** Liveness: not stopped. */
    public boolean live() {
        return !stopping.get();
    }

    /** Readiness: started, and either standing by for the Lease or leading with healthy informers. */
    public boolean ready() {
        if (!started.get() || stopping.get()) {
            return false;
        }
        if (workload != null && (workload.view().get() == null || !workload.view().get().synced()
                || workload.pcrSigner().get() == null || !workload.pcrSigner().get().synced()
                || workload.csrSigner().get() == null || !workload.csrSigner().get().synced()
                || settings.agentEndpoint().isPresent() && (workload.agent().get() == null
                        || !workload.agent().get().loaded()))) {
            return false;
        }
        return !leading.get() || operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    /** Stops reconciling (waiting up to 10 s for running passes) and gives up the Lease. */
    @Override
    public void close() {
        if (stopping.compareAndSet(false, true)) {
            if (workload != null) {
                Optional.ofNullable(workload.agent().get()).ifPresent(AgentServer::close);
                Optional.ofNullable(workload.pcrSigner().get()).ifPresent(PodCertificateRequestSigner::close);
                Optional.ofNullable(workload.csrSigner().get()).ifPresent(CertificateSigningRequestSigner::close);
                Optional.ofNullable(workload.view().get()).ifPresent(InformerClusterView::close);
            }
            operator.stop();
            if (leaseRelease != null) {
                leaseRelease.release();
            }
            log.info("operator stopped");
        }
    }

    private static String identity() {
        String host = System.getenv("HOSTNAME");
        return host != null && !host.isBlank() ? host : ManagementFactory.getRuntimeMXBean().getName();
    }
}
