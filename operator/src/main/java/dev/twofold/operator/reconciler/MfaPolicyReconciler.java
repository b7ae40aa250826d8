package dev.twofold.operator.reconciler;

import dev.twofold.api.policy.Compilation;
import dev.twofold.api.policy.CompiledPolicy;
import dev.twofold.api.v1alpha1.MfaPolicy;
import dev.twofold.api.v1alpha1.MfaPolicyStatus;
import dev.twofold.operator.status.EventRecorder;
import dev.twofold.operator.status.PolicyStatusAggregator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports on each MfaPolicy: compiles it (pure crds code), writes the status the aggregator builds when it differs
 * from the stored one, and records a Warning Event when the spec is invalid. An invalid spec is a user error: it is
 * reported and not retried (nothing would change until the user edits it, which triggers a new reconcile). Transient
 * API errors propagate and the framework backs off. The webhook configuration is {@link WebhookReconciler}'s job.
 */
@ControllerConfiguration(name = MfaPolicyReconciler.NAME)
public final class MfaPolicyReconciler implements Reconciler<MfaPolicy> {

    public static final String NAME = "mfapolicy-status";
    private static final Logger log = LoggerFactory.getLogger(MfaPolicyReconciler.class);

    private final PolicyStatusAggregator aggregator;
    private final EventRecorder events;
    private final Clock clock;

    public MfaPolicyReconciler(PolicyStatusAggregator aggregator, EventRecorder events, Clock clock) {
        this.aggregator = aggregator;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public UpdateControl<MfaPolicy> reconcile(MfaPolicy policy, Context<MfaPolicy> context) {
        Compilation compilation = CompiledPolicy.compile(policy);
        MfaPolicyStatus status = aggregator.aggregate(policy, compilation, clock.instant());
        if (!PolicyStatusAggregator.changed(policy, status)) {
            return UpdateControl.noUpdate();
        }
        String name = policy.getMetadata().getName();
        Long generation = policy.getMetadata().getGeneration();
        switch (compilation) {
            case Compilation.Rejected rejected -> {
                log.warn("policy invalid policy={} generation={} errors=\"{}\"", name, generation,
                        rejected.validation().errorSummary());
                events.warning(policy, PolicyStatusAggregator.INVALID_SPEC,
                        "the spec is invalid: " + rejected.validation().errorSummary());
            }
            case Compilation.Compiled compiled -> log.info(
                    "policy compiled policy={} generation={} enforcement={} admissionRules={} warnings={}", name,
                    generation, compiled.policy().enforcement().wireName(), status.admissionRules(),
                    compiled.validation().warnings().size());
        }
        // A fresh object carrying only what we own: server-side apply of the status subresource.
        MfaPolicy patch = new MfaPolicy();
        patch.getMetadata().setName(name);
        patch.setStatus(status);
        return UpdateControl.patchStatus(patch);
    }
}
