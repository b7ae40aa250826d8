package dev.twofold.operator.reconciler;

import dev.twofold.api.v1alpha1.CaRotationStatus;
import dev.twofold.api.v1alpha1.CaSource;
import dev.twofold.api.v1alpha1.CaSummary;
import dev.twofold.api.v1alpha1.SecretReference;
import dev.twofold.api.v1alpha1.TrustDomain;
import dev.twofold.api.v1alpha1.TrustDomainSpec;
import dev.twofold.api.v1alpha1.TrustDomainStatus;
import dev.twofold.api.validation.GoDuration;
import dev.twofold.api.validation.TrustDomainValidator;
import dev.twofold.api.validation.ValidationResult;
import dev.twofold.api.workload.TtlBounds;
import dev.twofold.operator.metrics.WorkloadMetrics;
import dev.twofold.operator.status.Conditions;
import dev.twofold.operator.status.EventRecorder;
import dev.twofold.operator.workload.bundle.ClusterTrustBundlePublisher;
import dev.twofold.operator.workload.bundle.TrustBundlePublisher;
import dev.twofold.operator.workload.ca.ActiveCas;
import dev.twofold.operator.workload.ca.CaFactory;
import dev.twofold.operator.workload.ca.CaMaterialException;
import dev.twofold.operator.workload.ca.CaRotation;
import dev.twofold.operator.workload.ca.CaSecretCodec;
import dev.twofold.operator.workload.ca.CaState;
import dev.twofold.operator.workload.ca.CertificateAuthority;
import dev.twofold.operator.workload.ca.Pem;
import dev.twofold.operator.workload.ca.RotationAction;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each TrustDomain's CA current and published: reads the CA state from the operator's Secret
 * {@code twofold-td-<name>-ca}, applies the steps {@link CaRotation} says are due (create, prepare next, activate,
 * drop retired), writes the Secret when that changed anything, hands the signing CA to the signers
 * ({@link ActiveCas}) only after it is stored, publishes the trust bundle to the selected namespaces, and reports
 * fingerprints, expiry and Ready in the status. It looks again when rotation says to (rescheduleAfter), at the latest
 * after {@link #MAX_RECHECK}, and whenever a namespace changes.
 *
 * <p>Rotation on demand: a new value of the annotation {@value TrustDomain#ROTATE_CA_ANNOTATION} is a request that
 * {@link CaRotation} plans (prepare at once, activate once published for the propagation time). The CA Secret records
 * the request an activation completed (annotation {@value #COMPLETED_REQUEST_ANNOTATION}) in the same write as the
 * activated CA, so a failed status write never rotates twice; the status mirrors it ({@code status.rotation}, the
 * Rotating condition). Annotation and spec changes trigger a reconcile, status changes do not.
 *
 * <p>User errors (invalid spec, unreadable CA Secret, missing root for an intermediate) go to a Ready=False condition
 * and a Warning Event, and the signers lose the CA; API errors propagate and the framework retries.
 */
// Annotations do not bump metadata.generation: generation-aware filtering would hide a rotation request.
@ControllerConfiguration(name = TrustDomainReconciler.NAME, generationAwareEventProcessing = false,
        informer = @Informer(onUpdateFilter = TrustDomainReconciler.SpecOrRotationRequestChanged.class))
public final class TrustDomainReconciler implements Reconciler<TrustDomain> {

    public static final String NAME = "trustdomain";
    public static final String CA_READY = "CaReady";
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String CA_SECRET_INVALID = "CaSecretInvalid";
    public static final String ROOT_CA_UNAVAILABLE = "RootCaUnavailable";
    public static final String CA_ROTATED = "CaRotated";
    public static final String CA_ROTATION_REQUESTED = "CaRotationRequested";
    public static final String ROTATION_REQUESTED = "RotationRequested";
    public static final String ROTATION_COMPLETED = "RotationCompleted";
    /** On the CA Secret: the rotation request (annotation value) whose activation the stored CAs completed. */
    public static final String COMPLETED_REQUEST_ANNOTATION = "twofold.dev/rotate-ca-completed";
    /** Bundles are re-checked at least this often, even when rotation has nothing due for months. */
    static final Duration MAX_RECHECK = Duration.ofHours(1);
    private static final String NAMESPACES = "namespaces";
    private static final Logger log = LoggerFactory.getLogger(TrustDomainReconciler.class);

    private final KubernetesClient client;
    private final String namespace;
    private final CaFactory factory;
    private final CaRotation rotation;
    private final ActiveCas active;
    private final TrustBundlePublisher publisher;
    private final ClusterTrustBundlePublisher clusterTrustBundles;
    private final EventRecorder events;
    private final WorkloadMetrics metrics;
    private final Clock clock;

    public TrustDomainReconciler(KubernetesClient client, String namespace, CaFactory factory, CaRotation rotation,
            ActiveCas active, TrustBundlePublisher publisher, ClusterTrustBundlePublisher clusterTrustBundles,
            EventRecorder events, WorkloadMetrics metrics, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.factory = factory;
        this.rotation = rotation;
        this.active = active;
        this.publisher = publisher;
        this.clusterTrustBundles = clusterTrustBundles;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The operator's Secret holding the CAs of TrustDomain {@code name}. */
    public static String secretName(String name) {
        return "twofold-td-" + name + "-ca";
    }

    @Override
    public List<EventSource<?, TrustDomain>> prepareEventSources(EventSourceContext<TrustDomain> context) {
        // Any namespace change may add or remove a bundle target; every trust domain looks again.
        return List.of(new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Namespace.class, TrustDomain.class)
                .withName(NAMESPACES)
                .withSecondaryToPrimaryMapper(ns -> context.getPrimaryCache().list()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context));
    }

    /** The rotation request on {@code trustDomain}: its {@value TrustDomain#ROTATE_CA_ANNOTATION}, or null if blank. */
    static String rotationRequest(TrustDomain trustDomain) {
        Map<String, String> annotations = trustDomain.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(TrustDomain.ROTATE_CA_ANNOTATION);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Reconciles on spec changes (generation) and on a new rotation request; not on status or other metadata. */
    public static final class SpecOrRotationRequestChanged implements OnUpdateFilter<TrustDomain> {
        @Override
        public boolean accept(TrustDomain updated, TrustDomain old) {
            return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
                    || !Objects.equals(rotationRequest(updated), rotationRequest(old));
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public UpdateControl<TrustDomain> reconcile(TrustDomain trustDomain, Context<TrustDomain> context) {
        Instant now = clock.instant();
        String name = trustDomain.getMetadata().getName();
        TrustDomainSpec spec = trustDomain.getSpec();
        ValidationResult validation = TrustDomainValidator.validate(spec);
        if (!validation.valid()) {
            return notReady(trustDomain, INVALID_SPEC, "the spec is invalid: " + validation.errorSummary(), now);
        }
        Secret actual = client.secrets().inNamespace(namespace).withName(secretName(name)).get();
        CaState stored;
        try {
            stored = CaSecretCodec.fromSecretData(actual == null ? null : actual.getData());
        } catch (CaMaterialException e) {
            return notReady(trustDomain, CA_SECRET_INVALID, "Secret " + namespace + "/" + secretName(name) + ": "
                    + e.getMessage() + " (fix or delete it; deleting makes a new CA)", now);
        }
        String request = rotationRequest(trustDomain);
        String completedBefore = completedRequest(actual);
        Rotated rotated;
        try {
            rotated = rotate(spec, stored, now, request != null && !request.equals(completedBefore) ? request : null);
        } catch (RootUnavailable e) {
            return notReady(trustDomain, ROOT_CA_UNAVAILABLE, e.getMessage(), now);
        }
        CaState state = rotated.state();
        String completed = rotated.completedRequest() ? request : completedBefore;
        boolean pending = request != null && !request.equals(completed);
        if (!rotated.steps().isEmpty()) {
            writeSecret(trustDomain, state, actual, completed);
            for (String step : rotated.steps()) {
                log.info("trust domain CA step trustDomain={} step=\"{}\"", name, step);
                events.normal(trustDomain, CA_ROTATED, step);
            }
        }
        if (pending && !request.equals(pendingBefore(trustDomain))) {
            String message = "rotation \"" + request + "\" requested: the next CA "
                    + state.next().fingerprint().substring(0, 16) + " is published and signs from "
                    + time(rotation.publishedEnoughAt(state.next()));
            log.info("trust domain CA rotation requested trustDomain={} request=\"{}\" next={} signsFrom={}", name,
                    request, state.next().fingerprint().substring(0, 16),
                    time(rotation.publishedEnoughAt(state.next())));
            events.normal(trustDomain, CA_ROTATION_REQUESTED, message);
        }
        CertificateAuthority current = state.current();
        active.put(name, current, state.trustBundle());
        metrics.caExpiry(name, current.notAfter());

        List<Namespace> namespaces = ((InformerEventSource<Namespace, TrustDomain>) context.eventSourceRetriever()
                .getEventSourceFor(Namespace.class, NAMESPACES)).list(ns -> true).toList();
        String pem = Pem.encodeCertificates(state.trustBundle());
        TrustBundlePublisher.Published published;
        try {
            published = publisher.publish(trustDomain, pem, namespaces);
        } catch (IllegalArgumentException e) {
            return notReady(trustDomain, INVALID_SPEC, "spec.bundle.namespaceSelector: " + e.getMessage(), now);
        }
        if (published.written() > 0 || published.removed() > 0) {
            log.info("trust bundle published trustDomain={} namespaces={} written={} removed={} cas={}", name,
                    published.namespaces(), published.written(), published.removed(), state.trustBundle().size());
        }

        ClusterTrustBundlePublisher.Outcome clusterTrustBundle = clusterTrustBundles.publish(trustDomain, pem);
        if (clusterTrustBundle == ClusterTrustBundlePublisher.Outcome.PUBLISHED) {
            log.info("cluster trust bundle published trustDomain={} name={}", name,
                    ClusterTrustBundlePublisher.name(name));
        }

        String message = "CA " + current.fingerprint().substring(0, 16) + " signs until " + time(current.notAfter())
                + "; the bundle (" + state.trustBundle().size() + " CA" + (state.trustBundle().size() == 1 ? "" : "s")
                + ") is published to " + published.namespaces() + " namespace"
                + (published.namespaces() == 1 ? "" : "s") + switch (clusterTrustBundle) {
                    case PUBLISHED, UNCHANGED -> " and as ClusterTrustBundle " + ClusterTrustBundlePublisher.name(name);
                    case NOT_SERVED -> "; the API server does not serve ClusterTrustBundles (certificates.k8s.io/"
                            + "v1beta1), so none is published";
                    case REMOVED, NOT_WANTED -> "";
                };
        List<Condition> conditions = new ArrayList<>(List.of(Conditions.condition(TrustDomainStatus.READY, true,
                CA_READY, message, trustDomain.getMetadata().getGeneration(), previous(trustDomain), now)));
        CaRotationStatus rotationStatus = null;
        if (pending) {
            rotationStatus = new CaRotationStatus(completed, request);
            conditions.add(Conditions.condition(TrustDomainStatus.ROTATING, true, ROTATION_REQUESTED,
                    "rotation \"" + request + "\" is underway: the next CA " + state.next().fingerprint().substring(
                            0, 16) + " is in the trust bundle and signs from "
                            + time(rotation.publishedEnoughAt(state.next())),
                    trustDomain.getMetadata().getGeneration(), previous(trustDomain), now));
        } else if (completed != null) {
            rotationStatus = new CaRotationStatus(completed, null);
            conditions.add(Conditions.condition(TrustDomainStatus.ROTATING, false, ROTATION_COMPLETED,
                    "rotation \"" + completed + "\" completed; the replaced CA stays in the trust bundle until "
                            + "the last certificate it signed has expired",
                    trustDomain.getMetadata().getGeneration(), previous(trustDomain), now));
        }
        TrustDomainStatus status = new TrustDomainStatus(trustDomain.getMetadata().getGeneration(),
                List.copyOf(conditions), summary(current), state.next() == null ? null : summary(state.next()),
                rotationStatus);
        Duration recheck = Duration.between(now, rotated.recheckAt());
        recheck = recheck.compareTo(MAX_RECHECK) > 0 ? MAX_RECHECK
                : recheck.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : recheck;
        return patchIfChanged(trustDomain, status).rescheduleAfter(recheck);
    }

    /**
     * @param completedRequest whether a CA that signs from now (initialized or activated) completed the pending
     *     rotation request
     */
    private record Rotated(CaState state, List<String> steps, Instant recheckAt, boolean completedRequest) {
    }

    /**
     * Applies due steps until rotation says none is due (a handful at most: e.g. initialize, then nothing). A prepared
     * next CA ends the pass: it is stored and published before anything else may happen to it.
     *
     * @param request the pending rotation request, {@code null} when none is
     */
    private Rotated rotate(TrustDomainSpec spec, CaState state, Instant now, String request) throws RootUnavailable {
        Duration caLifetime = GoDuration.parse(spec.caLifetime()).orElseThrow();
        Duration maxLeaf = TtlBounds.of(spec.workloadTtl()).max();
        List<String> steps = new ArrayList<>();
        boolean completed = false;
        for (int i = 0; i < 6; i++) {
            RotationAction action = rotation.decide(state, now, request != null && !completed);
            String why = request != null && !completed ? " (request \"" + request + "\")" : "";
            switch (action) {
                case RotationAction.None none -> {
                    return new Rotated(state, steps, none.recheckAt(), completed);
                }
                case RotationAction.Initialize init -> {
                    state = state.withCurrent(newCa(spec, caLifetime), now, maxLeaf);
                    steps.add("new CA " + state.current().fingerprint().substring(0, 16) + " signs: "
                            + init.reason() + why);
                    completed = true;
                }
                case RotationAction.PrepareNext prepare -> {
                    state = state.withNext(newCa(spec, caLifetime));
                    steps.add("next CA " + state.next().fingerprint().substring(0, 16) + " published: "
                            + prepare.reason() + why);
                    return new Rotated(state, steps, now, completed);
                }
                case RotationAction.Activate activate -> {
                    state = state.activateNext(now, maxLeaf);
                    steps.add("CA " + state.current().fingerprint().substring(0, 16) + " now signs: "
                            + activate.reason() + why);
                    completed = true;
                }
                case RotationAction.DropRetired drop -> {
                    state = state.dropRetired(now);
                    steps.add(drop.expired().size() + " retired CA(s) left the bundle");
                }
            }
        }
        throw new IllegalStateException("CA rotation did not settle after 6 steps: " + steps);
    }

    private CertificateAuthority newCa(TrustDomainSpec spec, Duration lifetime) throws RootUnavailable {
        return switch (spec.ca().mode().orElseThrow()) {
            case CaSource.SelfSigned selfSigned -> factory.selfSigned(spec.trustDomain(), lifetime);
            case CaSource.Intermediate intermediate -> {
                CertificateAuthority root = root(intermediate.secretRef());
                try {
                    yield factory.intermediate(spec.trustDomain(), lifetime, root);
                } catch (CaMaterialException e) {
                    throw new RootUnavailable("root CA Secret " + intermediate.secretRef().namespace() + "/"
                            + intermediate.secretRef().name() + ": " + e.getMessage());
                }
            }
        };
    }

    private CertificateAuthority root(SecretReference ref) throws RootUnavailable {
        String where = "root CA Secret " + ref.namespace() + "/" + ref.name();
        Secret secret = client.secrets().inNamespace(ref.namespace()).withName(ref.name()).get();
        if (secret == null) {
            throw new RootUnavailable(where + " not found");
        }
        try {
            return CaSecretCodec.rootFromSecretData(secret.getData());
        } catch (CaMaterialException e) {
            throw new RootUnavailable(where + ": " + e.getMessage());
        }
    }

    /** The root for an intermediate CA cannot be read: the user must fix the Secret. */
    private static final class RootUnavailable extends Exception {
        RootUnavailable(String message) {
            super(message);
        }
    }

    private static String completedRequest(Secret secret) {
        Map<String, String> annotations = secret == null ? null : secret.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(COMPLETED_REQUEST_ANNOTATION);
    }

    private static String pendingBefore(TrustDomain trustDomain) {
        TrustDomainStatus status = trustDomain.getStatus();
        return status == null || status.rotation() == null ? null : status.rotation().pendingRequest();
    }

    private void writeSecret(TrustDomain trustDomain, CaState state, Secret actual, String completedRequest) {
        Secret desired = new SecretBuilder()
                .withNewMetadata()
                .withName(secretName(trustDomain.getMetadata().getName()))
                .withNamespace(namespace)
                .addToLabels(TrustBundlePublisher.TRUST_DOMAIN_LABEL, trustDomain.getMetadata().getName())
                .addToLabels("app.kubernetes.io/managed-by", "twofold")
                .withAnnotations(completedRequest == null ? Map.of()
                        : Map.of(COMPLETED_REQUEST_ANNOTATION, completedRequest))
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(trustDomain.getApiVersion())
                        .withKind(trustDomain.getKind())
                        .withName(trustDomain.getMetadata().getName())
                        .withUid(trustDomain.getMetadata().getUid())
                        .build())
                .endMetadata()
                .withType("Opaque")
                .withData(CaSecretCodec.toSecretData(state))
                .build();
        if (actual == null) {
            client.secrets().inNamespace(namespace).resource(desired).create();
        } else {
            // The resourceVersion we read: a concurrent writer makes this fail with 409, and we start over.
            desired.getMetadata().setResourceVersion(actual.getMetadata().getResourceVersion());
            client.secrets().inNamespace(namespace).resource(desired).update();
        }
    }

    private UpdateControl<TrustDomain> notReady(TrustDomain trustDomain, String reason, String message, Instant now) {
        String name = trustDomain.getMetadata().getName();
        active.remove(name);
        log.warn("trust domain not ready trustDomain={} reason={} message=\"{}\"", name, reason, message);
        events.warning(trustDomain, reason, message);
        TrustDomainStatus previous = trustDomain.getStatus();
        List<Condition> conditions = new ArrayList<>(List.of(Conditions.condition(TrustDomainStatus.READY, false,
                reason, message, trustDomain.getMetadata().getGeneration(), previous(trustDomain), now)));
        previous(trustDomain).stream().filter(c -> TrustDomainStatus.ROTATING.equals(c.getType()))
                .forEach(conditions::add);
        TrustDomainStatus status = new TrustDomainStatus(trustDomain.getMetadata().getGeneration(),
                List.copyOf(conditions), previous == null ? null : previous.currentCA(),
                previous == null ? null : previous.nextCA(), previous == null ? null : previous.rotation());
        // A user error: no retry; an edit of the object (or a namespace event, or the hourly look) reconciles again.
        return patchIfChanged(trustDomain, status).rescheduleAfter(MAX_RECHECK);
    }

    private static UpdateControl<TrustDomain> patchIfChanged(TrustDomain trustDomain, TrustDomainStatus status) {
        if (status.equals(trustDomain.getStatus())) {
            return UpdateControl.noUpdate();
        }
        TrustDomain patch = new TrustDomain();
        patch.getMetadata().setName(trustDomain.getMetadata().getName());
        patch.setStatus(status);
        return UpdateControl.patchStatus(patch);
    }

    private static List<Condition> previous(TrustDomain trustDomain) {
        return trustDomain.getStatus() == null ? List.of() : trustDomain.getStatus().conditions();
    }

    private static CaSummary summary(CertificateAuthority ca) {
        return new CaSummary(ca.fingerprint(), time(ca.notAfter()));
    }

    private static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
