package dev.twofold.operator.reconciler;

import dev.twofold.api.v1alpha1.MfaPolicy;
import dev.twofold.operator.config.OperatorSettings;
import dev.twofold.operator.dependent.OwnedSecret;
import dev.twofold.operator.dependent.SecondaryWriter;
import dev.twofold.operator.dependent.SecretText;
import dev.twofold.operator.dependent.WebhookConfigurationResource;
import dev.twofold.operator.metrics.OperatorMetrics;
import dev.twofold.operator.pki.CaSecretContent;
import dev.twofold.operator.pki.PkiChange;
import dev.twofold.operator.pki.PkiOutcome;
import dev.twofold.operator.pki.ServingSecretContent;
import dev.twofold.operator.pki.WebhookPki;
import dev.twofold.operator.status.EventRecorder;
import dev.twofold.operator.webhookconfig.PolicyInventory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the admission webhook's shared state converged: the serving CA and certificate Secrets, and the
 * ValidatingWebhookConfiguration {@value OperatorSettings#WEBHOOK_CONFIGURATION} whose rules are the union of every
 * MfaPolicy in force.
 *
 * <p><b>Why a singleton reconciliation anchored on the operator's namespace.</b> The configuration is one object
 * derived from all policies, not a child of any one of them. Making it a dependent of each MfaPolicy would need a
 * finalizer on every policy so that deleting the last one still triggers a reconcile; policies would then hang in
 * Terminating whenever the operator is down or uninstalled, and N policy reconciles would race on one object. Instead
 * this controller's only primary is the Namespace the operator runs in (informer limited by the
 * {@code kubernetes.io/metadata.name} label): it exists as long as the operator does. MfaPolicy, the two Secrets and
 * the configuration are watched as secondaries that all map to that one primary, so any add, edit or delete of any of
 * them, including the last policy's deletion and hand edits of the configuration, triggers the same level-triggered
 * pass, and JOSDK runs at most one pass at a time. Nothing carries a finalizer. The configuration is owned by the
 * Namespace, so deleting the operator's namespace garbage-collects it rather than leaving a fail-closed webhook with no
 * server behind it. Certificate deadlines are met with {@code rescheduleAfter}, never by sleeping.
 */
@ControllerConfiguration(name = WebhookReconciler.NAME, generationAwareEventProcessing = false)
public final class WebhookReconciler implements Reconciler<Namespace> {

    public static final String NAME = "webhook";
    static final String POLICIES = "mfapolicies";
    static final String CA_SECRET = "ca-secret";
    static final String TLS_SECRET = "tls-secret";
    static final String CONFIGURATION = "webhook-configuration";

    static final OwnedSecret CA = new OwnedSecret(OperatorSettings.CA_SECRET, "Opaque", Set.of(
            CaSecretContent.CA_CRT, CaSecretContent.CA_KEY, CaSecretContent.NEXT_CRT, CaSecretContent.NEXT_KEY,
            CaSecretContent.PREVIOUS_CRT));
    static final OwnedSecret TLS = new OwnedSecret(OperatorSettings.TLS_SECRET, "kubernetes.io/tls", Set.of(
            ServingSecretContent.TLS_CRT, ServingSecretContent.TLS_KEY, ServingSecretContent.CA_CRT));

    private static final Logger log = LoggerFactory.getLogger(WebhookReconciler.class);

    private final OperatorSettings settings;
    private final WebhookPki pki;
    private final WebhookConfigurationResource configuration;
    private final SecondaryWriter writer;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final Clock clock;

    public WebhookReconciler(OperatorSettings settings, WebhookPki pki, WebhookConfigurationResource configuration,
            SecondaryWriter writer, EventRecorder events, OperatorMetrics metrics, Clock clock) {
        this.settings = settings;
        this.pki = pki;
        this.configuration = configuration;
        this.writer = writer;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The label selector that limits this controller's primary informer to the operator's namespace. */
    public static String primarySelector(String namespace) {
        return "kubernetes.io/metadata.name=" + namespace;
    }

    @Override
    public List<EventSource<?, Namespace>> prepareEventSources(EventSourceContext<Namespace> context) {
        ResourceID anchor = new ResourceID(settings.namespace());
        var policies = InformerEventSourceConfiguration.from(MfaPolicy.class, Namespace.class)
                .withName(POLICIES)
                .withSecondaryToPrimaryMapper(policy -> Set.of(anchor));
        settings.policySelector().ifPresent(policies::withLabelSelector);
        return List.of(
                new InformerEventSource<>(policies.build(), context),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, Namespace.class)
                        .withName(CA_SECRET)
                        .withNamespaces(settings.namespace())
                        .withFieldSelector(byName(OperatorSettings.CA_SECRET))
                        .withSecondaryToPrimaryMapper(secret -> Set.of(anchor))
                        .build(), context),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, Namespace.class)
                        .withName(TLS_SECRET)
                        .withNamespaces(settings.namespace())
                        .withFieldSelector(byName(OperatorSettings.TLS_SECRET))
                        .withSecondaryToPrimaryMapper(secret -> Set.of(anchor))
                        .build(), context),
                new InformerEventSource<>(InformerEventSourceConfiguration
                        .from(ValidatingWebhookConfiguration.class, Namespace.class)
                        .withName(CONFIGURATION)
                        .withFieldSelector(byName(settings.webhookConfigurationName()))
                        .withSecondaryToPrimaryMapper(config -> Set.of(anchor))
                        .build(), context));
    }

    @Override
    public UpdateControl<Namespace> reconcile(Namespace namespace, Context<Namespace> context) {
        Instant now = clock.instant();
        Secret caSecret = context.getSecondaryResource(Secret.class, CA_SECRET).orElse(null);
        Secret tlsSecret = context.getSecondaryResource(Secret.class, TLS_SECRET).orElse(null);
        ValidatingWebhookConfiguration actual = context.getSecondaryResource(ValidatingWebhookConfiguration.class)
                .orElse(null);

        String caBundle;
        Duration recheck = settings.pki().recheckInterval();
        switch (pki.reconcile(SecretText.read(caSecret), SecretText.read(tlsSecret), now)) {
            case PkiOutcome.Ready ready -> {
                Secret desiredCa = CA.desired(caSecret, settings.namespace(), ready.caSecretData());
                if (OwnedSecret.differs(caSecret, desiredCa)) {
                    caSecret = writer.write(desiredCa, caSecret, source(context, Secret.class, CA_SECRET));
                }
                Secret desiredTls = TLS.desired(tlsSecret, settings.namespace(), ready.tlsSecretData());
                if (OwnedSecret.differs(tlsSecret, desiredTls)) {
                    tlsSecret = writer.write(desiredTls, tlsSecret, source(context, Secret.class, TLS_SECRET));
                }
                for (PkiChange change : ready.changes()) {
                    HasMetadata regarding = change.kind() == PkiChange.Kind.ServingCertIssued ? tlsSecret : caSecret;
                    log.info("webhook pki change={} secret={}/{} {}", change.kind(), settings.namespace(),
                            regarding.getMetadata().getName(), change.message());
                    events.normal(regarding, change.kind().name(), change.message());
                }
                metrics.certificates(ready.caNotAfter(), ready.servingNotAfter());
                caBundle = ready.caBundle();
                Duration untilDue = Duration.between(now, ready.nextCheck());
                recheck = untilDue.compareTo(recheck) < 0 ? untilDue : recheck;
            }
            case PkiOutcome.Rejected rejected -> {
                // A user's Secret: never overwritten. Keep serving with the bundle already published, if any.
                log.warn("webhook ca secret rejected secret={}/{} reason={} {}", settings.namespace(),
                        OperatorSettings.CA_SECRET, rejected.reason(), rejected.message());
                events.warning(caSecret, rejected.reason(), rejected.message());
                caBundle = publishedBundle(actual);
            }
        }

        PolicyInventory policies = PolicyInventory.of(context.getSecondaryResources(MfaPolicy.class));
        metrics.policies(policies.ready(), policies.invalid(), policies.disabled());
        ValidatingWebhookConfiguration desired = configuration.desired(actual, policies, caBundle, owner(namespace));
        if (WebhookConfigurationResource.differs(actual, desired)) {
            int before = WebhookConfigurationResource.ruleCount(actual);
            int after = WebhookConfigurationResource.ruleCount(desired);
            writer.write(desired, actual, source(context, ValidatingWebhookConfiguration.class, CONFIGURATION));
            log.info("webhook configuration {} configuration={} rules_from={} rules_to={} policies_ready={} "
                    + "policies_invalid={} policies_disabled={}", actual == null ? "created" : "updated",
                    settings.webhookConfigurationName(), before, after, policies.ready(), policies.invalid(),
                    policies.disabled());
        }
        metrics.admissionRules(WebhookConfigurationResource.ruleCount(desired));
        return UpdateControl.<Namespace>noUpdate().rescheduleAfter(recheck);
    }

    private static FieldSelector byName(String name) {
        return new FieldSelector(new FieldSelector.Field("metadata.name", name));
    }

    @SuppressWarnings("unchecked")
    private static <R extends HasMetadata> InformerEventSource<R, Namespace> source(Context<Namespace> context,
            Class<R> type, String name) {
        return (InformerEventSource<R, Namespace>) context.eventSourceRetriever().getEventSourceFor(type, name);
    }

    private static OwnerReference owner(Namespace namespace) {
        return new OwnerReferenceBuilder()
                .withApiVersion("v1")
                .withKind("Namespace")
                .withName(namespace.getMetadata().getName())
                .withUid(namespace.getMetadata().getUid())
                .build();
    }

    private static String publishedBundle(ValidatingWebhookConfiguration actual) {
        if (actual == null || actual.getWebhooks() == null || actual.getWebhooks().isEmpty()
                || actual.getWebhooks().getFirst().getClientConfig() == null
                || actual.getWebhooks().getFirst().getClientConfig().getCaBundle() == null) {
            return null;
        }
        return new String(Base64.getDecoder().decode(actual.getWebhooks().getFirst().getClientConfig().getCaBundle()),
                StandardCharsets.US_ASCII);
    }
}
