package dev.twofold.operator.workload.signer;

import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.operator.metrics.WorkloadMetrics;
import dev.twofold.operator.status.EventRecorder;
import dev.twofold.operator.workload.attestation.AttestationClaim.PodCertificateRequestClaim;
import dev.twofold.operator.workload.attestation.ClusterView;
import dev.twofold.operator.workload.ca.Pem;
import dev.twofold.operator.workload.issuer.IssuedCertificate;
import dev.twofold.operator.workload.issuer.ProofOfPossession;
import dev.twofold.operator.workload.issuer.RequestRejectedException;
import dev.twofold.operator.workload.issuer.RequestedLifetime;
import dev.twofold.operator.workload.issuer.VerifiedPublicKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signer of PodCertificateRequests ({@code certificates.k8s.io/v1beta1}) for {@value #SIGNER_NAME}: for every
 * pending request of that signer it verifies the proof of possession, attests the pod and node named in the spec
 * (NodeRestriction let only the pod's own node create it), issues from the trust domain's active CA and writes exactly
 * one condition through {@code /status}: Issued (with certificateChain, notBefore, beginRefreshAt, notAfter), Denied
 * (a deliberate refusal, with a typed reason; the pod will not start, so only for the requester's or policy's fault)
 * or Failed (after {@link #MAX_ATTEMPTS} transient failures, e.g. no active CA).
 *
 * <p>Level-triggered: an informer on the requests feeds a single worker; whatever event arrived, the worker looks at
 * the request as the cache has it now and does nothing unless it is pending and ours. Needs {@code sign} on
 * {@code signers} {@code twofold.dev/workload} and {@code update} on {@code podcertificaterequests/status}.
 */
public final class PodCertificateRequestSigner implements AutoCloseable {

    public static final String SIGNER_NAME = "twofold.dev/workload";
    public static final String PATH = "pcr";
    public static final ResourceDefinitionContext PCR = new ResourceDefinitionContext.Builder()
            .withGroup("certificates.k8s.io").withVersion("v1beta1").withKind("PodCertificateRequest")
            .withPlural("podcertificaterequests").withNamespaced(true).build();
    static final int MAX_ATTEMPTS = 20;
    private static final Duration RESYNC = Duration.ofMinutes(1);
    private static final Set<String> TERMINAL = Set.of("Issued", "Denied", "Failed");
    private static final Logger log = LoggerFactory.getLogger(PodCertificateRequestSigner.class);

    private final KubernetesClient client;
    private final BooleanSupplier cachesSynced;
    private final ClusterView view;
    private final ProofOfPossession proofs;
    private final WorkloadSigning signing;
    private final PolicyCounters counters;
    private final EventRecorder events;
    private final WorkloadMetrics metrics;
    private final Clock clock;
    private final WorkQueue queue = new WorkQueue("twofold-pcr-signer", this::process);
    private volatile SharedIndexInformer<GenericKubernetesResource> informer;

    public PodCertificateRequestSigner(KubernetesClient client, BooleanSupplier cachesSynced, ClusterView view,
            ProofOfPossession proofs, WorkloadSigning signing, PolicyCounters counters, EventRecorder events,
            WorkloadMetrics metrics, Clock clock) {
        this.client = client;
        this.cachesSynced = cachesSynced;
        this.view = view;
        this.proofs = proofs;
        this.signing = signing;
        this.counters = counters;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Starts watching requests (all namespaces). */
    public void start() {
        // Only our signer's requests: the API server filters by spec.signerName, so others' never reach the cache.
        informer = client.genericKubernetesResources(PCR).inAnyNamespace().withField("spec.signerName", SIGNER_NAME)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(GenericKubernetesResource request) {
                        queue.add(Cache.metaNamespaceKeyFunc(request), Duration.ZERO);
                    }

                    @Override
                    public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource request) {
                        queue.add(Cache.metaNamespaceKeyFunc(request), Duration.ZERO);
                    }

                    @Override
                    public void onDelete(GenericKubernetesResource request, boolean unknownFinalState) {
                        queue.forget(Cache.metaNamespaceKeyFunc(request));
                    }
                }, RESYNC.toMillis());
        log.info("PodCertificateRequest signer started signerName={}", SIGNER_NAME);
    }

    public boolean synced() {
        return informer != null && informer.hasSynced();
    }

    private void process(String key) {
        if (!cachesSynced.getAsBoolean()) {
            queue.add(key, Duration.ofSeconds(1)); // never judge a request against a cache still filling
            return;
        }
        GenericKubernetesResource request = informer.getStore().getByKey(key);
        if (request == null || !pending(request)) {
            queue.forget(key);
            return;
        }
        try {
            handle(key, request);
        } catch (KubernetesClientException e) {
            // A conflict means our cache was stale; anything else is transient. Look again shortly.
            log.info("PodCertificateRequest {}: status update failed ({}); retrying", key, e.getCode());
            queue.retry(key);
        } catch (RuntimeException e) {
            log.error("PodCertificateRequest {}: unexpected failure; retrying", key, e);
            queue.retry(key);
        }
    }

    private static boolean pending(GenericKubernetesResource request) {
        if (!SIGNER_NAME.equals(request.get("spec", "signerName"))) {
            return false;
        }
        Object conditions = request.get("status", "conditions");
        if (conditions instanceof List<?> list) {
            for (Object condition : list) {
                if (condition instanceof Map<?, ?> map && TERMINAL.contains(map.get("type"))) {
                    return false;
                }
            }
        }
        return true;
    }

    private void handle(String key, GenericKubernetesResource request) {
        Instant started = clock.instant();
        Map<String, Object> spec = request.get("spec");
        String namespace = request.getMetadata().getNamespace();
        PodCertificateRequestClaim claim = new PodCertificateRequestClaim(namespace, text(spec, "podName"),
                text(spec, "podUID"), text(spec, "serviceAccountName"), text(spec, "serviceAccountUID"),
                text(spec, "nodeName"), text(spec, "nodeUID"));
        SigningOutcome outcome;
        WorkloadCertificatePolicy policy = null;
        try {
            VerifiedPublicKey publicKey = proofs.verify(bytes(spec, "pkixPublicKey"), bytes(spec, "proofOfPossession"), claim.podUid());
            Object max = spec.get("maxExpirationSeconds");
            RequestedLifetime lifetime = RequestedLifetime.forPodCertificateRequest(max instanceof Number n
                    ? n.intValue() : (int) Duration.ofDays(1).toSeconds());
            WorkloadSigning.Result result = signing.sign(claim, publicKey, lifetime);
            outcome = result.outcome();
            policy = result.policy().orElse(null);
        } catch (RequestRejectedException e) {
            outcome = new SigningOutcome.Denied(e.reason() == RequestRejectedException.Reason.UNSUPPORTED_KEY_TYPE
                    ? "UnsupportedKeyType" : "InvalidRequest", e.reason().name().toLowerCase(java.util.Locale.ROOT),
                    e.getMessage());
        }

        Instant now = clock.instant();
        switch (outcome) {
            case SigningOutcome.Issued issued -> {
                writeStatus(request, issuedStatus(issued.certificate(), now));
                String policyName = namespace + "/" + issued.policy().getMetadata().getName();
                metrics.issued(PATH, policyName, Duration.between(started, clock.instant()));
                counters.issued(issued.policy(), now);
                queue.forget(key);
                log.info("PodCertificateRequest issued request={} pod={}/{} policy={} spiffeId={} notAfter={}", key,
                        namespace, claim.podName(), policyName, issued.certificate().spiffeId(),
                        issued.certificate().notAfter());
            }
            case SigningOutcome.Denied denied -> {
                writeStatus(request, conditionStatus("Denied", denied.reason(), denied.message(), now));
                metrics.denied(PATH, denied.wireReason());
                if (policy != null) {
                    counters.denied(policy, denied.wireReason());
                }
                queue.forget(key);
                log.warn("PodCertificateRequest denied request={} pod={}/{} reason={} message=\"{}\"", key,
                        namespace, claim.podName(), denied.reason(), denied.message());
                recordOnPod(request, namespace, claim, denied);
            }
            case SigningOutcome.Retry retry -> {
                int attempt = queue.attempts(key) + 1;
                if (attempt >= MAX_ATTEMPTS) {
                    writeStatus(request, conditionStatus("Failed", retry.reason(), retry.message() + " (gave up after "
                            + attempt + " attempts)", now));
                    metrics.denied(PATH, "failed_" + retry.reason().toLowerCase(java.util.Locale.ROOT));
                    queue.forget(key);
                    log.error("PodCertificateRequest failed request={} reason={} message=\"{}\"", key,
                            retry.reason(), retry.message());
                } else {
                    log.info("PodCertificateRequest not signed yet request={} attempt={} reason={} message=\"{}\"",
                            key, attempt, retry.reason(), retry.message());
                    queue.retry(key);
                }
            }
        }
    }

    private void recordOnPod(GenericKubernetesResource request, String namespace, PodCertificateRequestClaim claim,
            SigningOutcome.Denied denied) {
        Pod pod = view.pod(namespace, claim.podName()).orElse(null);
        String message = "PodCertificateRequest " + request.getMetadata().getName() + " denied: " + denied.message();
        if (pod != null && claim.podUid().equals(pod.getMetadata().getUid())) {
            events.warning(pod, "WorkloadCertificateDenied", message);
        } else {
            events.warning(request, "WorkloadCertificateDenied", message);
        }
    }

    /** Issued: the chain and the times exactly as in the leaf (seconds, as X.509 and metav1.Time carry them). */
    private static Map<String, Object> issuedStatus(IssuedCertificate issued, Instant now) {
        Instant notBefore = issued.certificate().getNotBefore().toInstant();
        Instant notAfter = issued.certificate().getNotAfter().toInstant();
        Instant refresh = notBefore.plus(Duration.between(notBefore, notAfter).dividedBy(2))
                .truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> status = conditionStatus("Issued", "Issued", "issued " + issued.spiffeId()
                + " until " + time(notAfter), now);
        status.put("certificateChain", Pem.encodeCertificates(issued.chain()));
        status.put("notBefore", time(notBefore));
        status.put("beginRefreshAt", time(refresh));
        status.put("notAfter", time(notAfter));
        return status;
    }

    private static Map<String, Object> conditionStatus(String type, String reason, String message, Instant now) {
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("type", type);
        condition.put("status", "True");
        condition.put("reason", reason);
        condition.put("message", message.length() <= 1024 ? message : message.substring(0, 1021) + "...");
        condition.put("lastTransitionTime", time(now));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("conditions", List.of(condition));
        return status;
    }

    /** PUT /status with the resourceVersion we judged: a concurrent change fails it (409) and we look again. */
    private void writeStatus(GenericKubernetesResource request, Map<String, Object> status) {
        GenericKubernetesResource update = new GenericKubernetesResource();
        update.setApiVersion(request.getApiVersion());
        update.setKind(request.getKind());
        update.setMetadata(new ObjectMetaBuilder()
                .withName(request.getMetadata().getName())
                .withNamespace(request.getMetadata().getNamespace())
                .withUid(request.getMetadata().getUid())
                .withResourceVersion(request.getMetadata().getResourceVersion())
                .build());
        update.setAdditionalProperty("spec", request.get("spec"));
        update.setAdditionalProperty("status", status);
        client.genericKubernetesResources(PCR).inNamespace(request.getMetadata().getNamespace()).resource(update)
                .updateStatus();
    }

    private static String text(Map<String, Object> spec, String field) {
        Object value = spec.get(field);
        return value == null ? "" : value.toString();
    }

    private static byte[] bytes(Map<String, Object> spec, String field) throws RequestRejectedException {
        try {
            return Base64.getDecoder().decode(text(spec, field));
        } catch (IllegalArgumentException e) {
            throw new RequestRejectedException(RequestRejectedException.Reason.MALFORMED,
                    "spec." + field + ": not base64");
        }
    }

    private static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        queue.close();
    }
}
