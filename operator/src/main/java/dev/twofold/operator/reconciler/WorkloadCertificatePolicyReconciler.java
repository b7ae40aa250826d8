package dev.twofold.operator.reconciler;

import dev.twofold.api.v1alpha1.TrustDomain;
import dev.twofold.api.v1alpha1.TrustDomainStatus;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicyStatus;
import dev.twofold.api.validation.ValidationResult;
import dev.twofold.api.validation.WorkloadCertificatePolicyValidator;
import dev.twofold.operator.status.Conditions;
import dev.twofold.operator.status.EventRecorder;
import dev.twofold.operator.workload.signer.PolicyCounters;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reports on each WorkloadCertificatePolicy: Ready when its spec is valid, its TrustDomain exists, the policy's ttl
 * fits the trust domain's bounds and the trust domain is Ready; plus the issuance counters the signers keep
 * ({@link PolicyCounters}). Re-runs when its TrustDomain changes and when a signer counts an issuance or denial.
 * Status is written only when it changed.
 */
@ControllerConfiguration(name = WorkloadCertificatePolicyReconciler.NAME)
public final class WorkloadCertificatePolicyReconciler implements Reconciler<WorkloadCertificatePolicy> {

    public static final String NAME = "workloadcertificatepolicy";
    public static final String READY_REASON = "Ready";
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String TRUST_DOMAIN_MISSING = "TrustDomainMissing";
    public static final String TRUST_DOMAIN_MISMATCH = "TrustDomainMismatch";
    public static final String TRUST_DOMAIN_NOT_READY = "TrustDomainNotReady";
    private static final String TRUST_DOMAINS = "trustdomains";

    private final PolicyCounters counters;
    private final EventRecorder events;
    private final Clock clock;
    private final SimpleInboundEventSource<WorkloadCertificatePolicy> counted =
            new SimpleInboundEventSource<>("issuance-counters");

    public WorkloadCertificatePolicyReconciler(PolicyCounters counters, EventRecorder events, Clock clock) {
        this.counters = counters;
        this.events = events;
        this.clock = clock;
        counters.onChange(policy -> counted.propagateEvent(ResourceID.fromResource(policy)));
    }

    @Override
    public List<EventSource<?, WorkloadCertificatePolicy>> prepareEventSources(
            EventSourceContext<WorkloadCertificatePolicy> context) {
        InformerEventSource<TrustDomain, WorkloadCertificatePolicy> trustDomains = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(TrustDomain.class, WorkloadCertificatePolicy.class)
                        .withName(TRUST_DOMAINS)
                        .withSecondaryToPrimaryMapper(td -> context.getPrimaryCache()
                                .list(p -> p.getSpec() != null
                                        && td.getMetadata().getName().equals(p.getSpec().trustDomain()))
                                .map(ResourceID::fromResource).collect(Collectors.toSet()))
                        .build(), context);
        return List.of(trustDomains, counted);
    }

    @Override
    @SuppressWarnings("unchecked")
    public UpdateControl<WorkloadCertificatePolicy> reconcile(WorkloadCertificatePolicy policy,
            Context<WorkloadCertificatePolicy> context) {
        Instant now = clock.instant();
        String reason;
        String message;
        boolean ready = false;
        ValidationResult validation = WorkloadCertificatePolicyValidator.validate(policy.getSpec());
        if (!validation.valid()) {
            reason = INVALID_SPEC;
            message = "the spec is invalid: " + validation.errorSummary();
        } else {
            String name = policy.getSpec().trustDomain();
            Optional<TrustDomain> trustDomain = ((InformerEventSource<TrustDomain, WorkloadCertificatePolicy>)
                    context.eventSourceRetriever().getEventSourceFor(TrustDomain.class, TRUST_DOMAINS))
                    .get(new ResourceID(name));
            if (trustDomain.isEmpty() || trustDomain.get().getSpec() == null) {
                reason = TRUST_DOMAIN_MISSING;
                message = "TrustDomain " + name + " does not exist";
            } else {
                ValidationResult against = WorkloadCertificatePolicyValidator.validateAgainst(policy.getSpec(),
                        trustDomain.get().getSpec());
                if (!against.valid()) {
                    reason = TRUST_DOMAIN_MISMATCH;
                    message = "the spec does not fit TrustDomain " + name + ": " + against.errorSummary();
                } else if (!trustDomainReady(trustDomain.get())) {
                    reason = TRUST_DOMAIN_NOT_READY;
                    message = "TrustDomain " + name + " is not Ready (see its status)";
                } else {
                    ready = true;
                    reason = READY_REASON;
                    message = "pods matched by this policy get certificates from TrustDomain " + name;
                }
            }
        }
        Long generation = policy.getMetadata().getGeneration();
        List<Condition> previous = policy.getStatus() == null ? List.of() : policy.getStatus().conditions();
        PolicyCounters.Totals totals = counters.totals(policy);
        WorkloadCertificatePolicyStatus status = new WorkloadCertificatePolicyStatus(generation,
                List.of(Conditions.condition(WorkloadCertificatePolicyStatus.READY, ready, reason, message,
                        generation, previous, now)),
                totals.issued() == 0 ? null : totals.issued(),
                totals.lastIssuance() == null ? null
                        : DateTimeFormatter.ISO_INSTANT.format(totals.lastIssuance().truncatedTo(ChronoUnit.SECONDS)),
                totals.denials());
        if (status.equals(policy.getStatus())) {
            return UpdateControl.noUpdate();
        }
        if (!ready && (previous.isEmpty() || !reason.equals(previous.get(0).getReason()))) {
            events.warning(policy, reason, message);
        }
        WorkloadCertificatePolicy patch = new WorkloadCertificatePolicy();
        patch.getMetadata().setName(policy.getMetadata().getName());
        patch.getMetadata().setNamespace(policy.getMetadata().getNamespace());
        patch.setStatus(status);
        return UpdateControl.patchStatus(patch);
    }

    private static boolean trustDomainReady(TrustDomain trustDomain) {
        return trustDomain.getStatus() != null && trustDomain.getStatus().conditions().stream()
                .anyMatch(c -> TrustDomainStatus.READY.equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
