package dev.twofold.operator.reconciler;

import dev.twofold.api.v1alpha1.OidcIssuer;
import dev.twofold.api.v1alpha1.OidcIssuerStatus;
import dev.twofold.api.validation.FieldError;
import dev.twofold.api.validation.OidcIssuerUrls;
import dev.twofold.api.validation.OidcIssuerValidator;
import dev.twofold.api.validation.ValidationResult;
import dev.twofold.operator.status.EventRecorder;
import dev.twofold.operator.status.IssuerAssessment;
import dev.twofold.operator.status.IssuerStatusAggregator;
import dev.twofold.webhook.oidc.InvalidIssuer;
import dev.twofold.webhook.oidc.IssuerConfig;
import dev.twofold.webhook.oidc.IssuerProbe;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports on each OidcIssuer: validates the spec (pure crds code), probes the issuer the way the webhook's verifier
 * would reach it ({@link IssuerProbe}: discovery, then the key set, with the spec's CA bundle) and writes the status
 * {@link IssuerStatusAggregator} builds, only when it differs from the stored one.
 *
 * <ul>
 *   <li>Invalid spec: a user error. Ready=False, a Warning Event {@code InvalidSpec}, no retry (the user's edit
 *       triggers the next pass).
 *   <li>Healthy: probed again every {@code probeInterval} ({@code rescheduleAfter}; nothing in the cluster changes
 *       when keys rotate at the IdP).
 *   <li>IdP unreachable or without usable keys: {@link IssuerProbeFailed} is thrown, the status is written by
 *       {@link #updateErrorStatus}, and the framework retries with back-off.
 *   <li>Same url as an older OidcIssuer: Ready=False {@code DuplicateUrl} (the webhook ignores it too), checked again
 *       every {@code probeInterval}, as the other issuer's deletion does not trigger this one.
 * </ul>
 */
@ControllerConfiguration(name = OidcIssuerReconciler.NAME)
public final class OidcIssuerReconciler implements Reconciler<OidcIssuer> {

    public static final String NAME = "oidcissuer-status";
    private static final Logger log = LoggerFactory.getLogger(OidcIssuerReconciler.class);

    private final IssuerProbe probe;
    private final IssuerStatusAggregator aggregator;
    private final EventRecorder events;
    private final Clock clock;
    private final Duration probeInterval;

    public OidcIssuerReconciler(IssuerProbe probe, IssuerStatusAggregator aggregator, EventRecorder events,
            Clock clock, Duration probeInterval) {
        this.probe = probe;
        this.aggregator = aggregator;
        this.events = events;
        this.clock = clock;
        this.probeInterval = probeInterval;
    }

    @Override
    public UpdateControl<OidcIssuer> reconcile(OidcIssuer issuer, Context<OidcIssuer> context)
            throws IssuerProbeFailed {
        return reconcile(issuer, context.getPrimaryCache().list().toList());
    }

    /** One pass, given every OidcIssuer in the cache (for the duplicate-url check). */
    UpdateControl<OidcIssuer> reconcile(OidcIssuer issuer, Collection<OidcIssuer> issuers) throws IssuerProbeFailed {
        IssuerAssessment assessment = assess(issuer, issuers);
        OidcIssuerStatus status = aggregator.aggregate(issuer, assessment, clock.instant());
        if (assessment instanceof IssuerAssessment.Probed && !assessment.verifiable()) {
            Condition ready = IssuerStatusAggregator.ready(status).orElseThrow();
            throw new IssuerProbeFailed(issuer.getMetadata().getName(), ready.getReason(), ready.getMessage(), status);
        }
        UpdateControl<OidcIssuer> control = IssuerStatusAggregator.changed(issuer, status)
                ? UpdateControl.patchStatus(written(issuer, status)) : UpdateControl.noUpdate();
        return assessment instanceof IssuerAssessment.Invalid ? control : control.rescheduleAfter(probeInterval);
    }

    /** Writes the status a failed probe carries (when it changed); the framework then retries with back-off. */
    @Override
    public ErrorStatusUpdateControl<OidcIssuer> updateErrorStatus(OidcIssuer issuer, Context<OidcIssuer> context,
            Exception e) {
        return updateErrorStatus(issuer, e);
    }

    ErrorStatusUpdateControl<OidcIssuer> updateErrorStatus(OidcIssuer issuer, Exception e) {
        if (e instanceof IssuerProbeFailed failed && IssuerStatusAggregator.changed(issuer, failed.status())) {
            return ErrorStatusUpdateControl.patchStatus(written(issuer, failed.status()));
        }
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    private IssuerAssessment assess(OidcIssuer issuer, Collection<OidcIssuer> issuers) {
        ValidationResult validation = OidcIssuerValidator.validate(issuer.getSpec());
        if (!validation.valid()) {
            return new IssuerAssessment.Invalid(validation);
        }
        String name = issuer.getMetadata().getName();
        List<OidcIssuer> valid = issuers.stream()
                .filter(other -> !name.equals(other.getMetadata().getName()))
                .filter(other -> OidcIssuerValidator.validate(other.getSpec()).valid())
                .collect(Collectors.toCollection(ArrayList::new));
        valid.add(issuer);
        Map<String, OidcIssuer> owners = OidcIssuerUrls.owners(valid);
        OidcIssuer owner = owners.get(issuer.getSpec().url());
        if (owner != issuer) {
            return new IssuerAssessment.Shadowed(owner.getMetadata().getName());
        }
        try {
            return new IssuerAssessment.Probed(probe.probe(IssuerConfig.from(issuer)));
        } catch (InvalidIssuer e) {
            // The spec validated above, so only the object itself can be unusable: it has no name.
            return new IssuerAssessment.Invalid(new ValidationResult(List.of(new FieldError("metadata.name",
                    "is required")), List.of()));
        }
    }

    /** Logs and records Events for a status about to be written, and returns the patch carrying it. */
    private OidcIssuer written(OidcIssuer issuer, OidcIssuerStatus status) {
        String name = issuer.getMetadata().getName();
        Condition ready = IssuerStatusAggregator.ready(status).orElseThrow();
        boolean wasReady = IssuerStatusAggregator.ready(issuer.getStatus())
                .map(c -> "True".equals(c.getStatus())).orElse(false);
        if ("True".equals(ready.getStatus())) {
            log.info("oidc issuer ready issuer={} generation={} keyIds={} lastRefresh={}", name,
                    status.observedGeneration(), status.keyIds(), status.lastRefresh());
            if (!wasReady) {
                events.normal(issuer, ready.getReason(), ready.getMessage());
            }
        } else {
            log.warn("oidc issuer not ready issuer={} generation={} reason={} message=\"{}\"", name,
                    status.observedGeneration(), ready.getReason(), ready.getMessage());
            events.warning(issuer, ready.getReason(), ready.getMessage());
        }
        // A fresh object carrying only what we own: server-side apply of the status subresource.
        OidcIssuer patch = new OidcIssuer();
        patch.getMetadata().setName(name);
        patch.setStatus(status);
        return patch;
    }
}
