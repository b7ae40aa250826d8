package dev.twofold.operator.workload.signer;

import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.operator.metrics.WorkloadMetrics;
import dev.twofold.operator.status.EventRecorder;
import dev.twofold.operator.workload.attestation.AttestationClaim.PodBoundTokenClaim;
import dev.twofold.operator.workload.ca.Pem;
import dev.twofold.operator.workload.issuer.CsrVerifier;
import dev.twofold.operator.workload.issuer.RequestRejectedException;
import dev.twofold.operator.workload.issuer.RequestedLifetime;
import dev.twofold.operator.workload.issuer.VerifiedPublicKey;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpec;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signer of CertificateSigningRequests ({@code certificates.k8s.io/v1}) for {@value #SIGNER_NAME}. The requester's
 * identity is what the API server recorded from its credentials: {@code spec.username} and the pod-bound token extras
 * {@code authentication.kubernetes.io/pod-name|pod-uid|node-name|node-uid} in {@code spec.extra}; nothing the
 * requester wrote in the CSR besides its public key is used. Only after attestation does the signer approve (its own
 * approver: {@code approve} on the signer) and then sign into {@code status.certificate} ({@code sign}); a requester
 * that is not a pod-bound service account token, a pod that does not attest, or a key type the policy does not allow
 * is denied with a typed reason. Transient failures are retried and end in a Failed condition.
 */
public final class CertificateSigningRequestSigner implements AutoCloseable {

    public static final String SIGNER_NAME = PodCertificateRequestSigner.SIGNER_NAME;
    public static final String PATH = "csr";
    public static final String APPROVED_REASON = "TwofoldAttested";
    static final int MAX_ATTEMPTS = 20;
    private static final Duration RESYNC = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(CertificateSigningRequestSigner.class);

    private final KubernetesClient client;
    private final BooleanSupplier cachesSynced;
    private final CsrVerifier verifier;
    private final WorkloadSigning signing;
    private final PolicyCounters counters;
    private final EventRecorder events;
    private final WorkloadMetrics metrics;
    private final Clock clock;
    private final WorkQueue queue = new WorkQueue("twofold-csr-signer", this::process);
    private volatile SharedIndexInformer<CertificateSigningRequest> informer;

    public CertificateSigningRequestSigner(KubernetesClient client, BooleanSupplier cachesSynced, CsrVerifier verifier,
            WorkloadSigning signing, PolicyCounters counters, EventRecorder events, WorkloadMetrics metrics,
            Clock clock) {
        this.client = client;
        this.cachesSynced = cachesSynced;
        this.verifier = verifier;
        this.signing = signing;
        this.counters = counters;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    public void start() {
        // Only our signer's requests: the API server filters by spec.signerName.
        informer = client.certificates().v1().certificateSigningRequests().withField("spec.signerName", SIGNER_NAME)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(CertificateSigningRequest request) {
                        queue.add(request.getMetadata().getName(), Duration.ZERO);
                    }

                    @Override
                    public void onUpdate(CertificateSigningRequest old, CertificateSigningRequest request) {
                        queue.add(request.getMetadata().getName(), Duration.ZERO);
                    }

                    @Override
                    public void onDelete(CertificateSigningRequest request, boolean unknownFinalState) {
                        queue.forget(request.getMetadata().getName());
                    }
                }, RESYNC.toMillis());
        log.info("CertificateSigningRequest signer started signerName={}", SIGNER_NAME);
    }

    public boolean synced() {
        return informer != null && informer.hasSynced();
    }

    private void process(String name) {
        if (!cachesSynced.getAsBoolean()) {
            queue.add(name, Duration.ofSeconds(1));
            return;
        }
        CertificateSigningRequest request = informer.getStore().getByKey(name);
        if (request == null || !pending(request)) {
            queue.forget(name);
            return;
        }
        try {
            handle(name, request);
        } catch (KubernetesClientException e) {
            log.info("CertificateSigningRequest {}: update failed ({}); retrying", name, e.getCode());
            queue.retry(name);
        } catch (RuntimeException e) {
            log.error("CertificateSigningRequest {}: unexpected failure; retrying", name, e);
            queue.retry(name);
        }
    }

    /** Ours, not denied or failed, and without a certificate yet. */
    private static boolean pending(CertificateSigningRequest request) {
        if (request.getSpec() == null || !SIGNER_NAME.equals(request.getSpec().getSignerName())) {
            return false;
        }
        CertificateSigningRequestStatus status = request.getStatus();
        if (status == null) {
            return true;
        }
        if (status.getCertificate() != null && !status.getCertificate().isEmpty()) {
            return false;
        }
        return status.getConditions() == null || status.getConditions().stream()
                .noneMatch(c -> "Denied".equals(c.getType()) || "Failed".equals(c.getType()));
    }

    private void handle(String name, CertificateSigningRequest request) {
        Instant started = clock.instant();
        CertificateSigningRequestSpec spec = request.getSpec();
        PodBoundTokenClaim claim = new PodBoundTokenClaim(spec.getUsername() == null ? "" : spec.getUsername(),
                spec.getExtra());
        SigningOutcome outcome;
        Optional<WorkloadCertificatePolicy> policy = Optional.empty();
        try {
            VerifiedPublicKey key = verifier.verify(Base64.getDecoder().decode(spec.getRequest()));
            WorkloadSigning.Result result = signing.sign(claim, key,
                    RequestedLifetime.forCertificateSigningRequest(spec.getExpirationSeconds()));
            outcome = result.outcome();
            policy = result.policy();
        } catch (RequestRejectedException e) {
            outcome = new SigningOutcome.Denied(e.reason() == RequestRejectedException.Reason.UNSUPPORTED_KEY_TYPE
                    ? "UnsupportedKeyType" : "InvalidRequest", e.reason().name().toLowerCase(Locale.ROOT),
                    e.getMessage());
        } catch (IllegalArgumentException e) {
            outcome = new SigningOutcome.Denied("InvalidRequest", "malformed", "spec.request: not base64");
        }

        Instant now = clock.instant();
        switch (outcome) {
            case SigningOutcome.Issued issued -> {
                CertificateSigningRequest approved = approved(request)
                        ? request : approve(request, "attested pod " + podOf(claim) + ", policy "
                                + issued.policy().getMetadata().getName(), now);
                CertificateSigningRequest update = withStatus(approved, Base64.getEncoder().encodeToString(
                        Pem.encodeCertificates(issued.certificate().chain()).getBytes(StandardCharsets.US_ASCII)),
                        null);
                client.certificates().v1().certificateSigningRequests().resource(update).updateStatus();
                String policyName = issued.policy().getMetadata().getNamespace() + "/"
                        + issued.policy().getMetadata().getName();
                metrics.issued(PATH, policyName, Duration.between(started, clock.instant()));
                counters.issued(issued.policy(), now);
                queue.forget(name);
                log.info("CertificateSigningRequest issued request={} user={} policy={} spiffeId={} notAfter={}", name,
                        spec.getUsername(), policyName, issued.certificate().spiffeId(),
                        issued.certificate().notAfter());
            }
            case SigningOutcome.Denied denied -> {
                if (approved(request)) {
                    // Someone else approved; a CSR cannot be both Approved and Denied, so it fails.
                    client.certificates().v1().certificateSigningRequests().resource(withStatus(request, null,
                            condition("Failed", denied.reason(), denied.message(), now))).updateStatus();
                } else {
                    client.certificates().v1().certificateSigningRequests().withName(name)
                            .deny(condition("Denied", denied.reason(), denied.message(), now));
                }
                metrics.denied(PATH, denied.wireReason());
                policy.ifPresent(p -> counters.denied(p, denied.wireReason()));
                queue.forget(name);
                log.warn("CertificateSigningRequest denied request={} user={} reason={} message=\"{}\"", name,
                        spec.getUsername(), denied.reason(), denied.message());
                events.warning(request, "WorkloadCertificateDenied", denied.message());
            }
            case SigningOutcome.Retry retry -> {
                int attempt = queue.attempts(name) + 1;
                if (attempt >= MAX_ATTEMPTS) {
                    client.certificates().v1().certificateSigningRequests().resource(withStatus(request, null,
                            condition("Failed", retry.reason(), retry.message() + " (gave up after " + attempt
                                    + " attempts)", now))).updateStatus();
                    metrics.denied(PATH, "failed_" + retry.reason().toLowerCase(Locale.ROOT));
                    queue.forget(name);
                    log.error("CertificateSigningRequest failed request={} reason={} message=\"{}\"", name,
                            retry.reason(), retry.message());
                } else {
                    log.info("CertificateSigningRequest not signed yet request={} attempt={} reason={} "
                            + "message=\"{}\"", name, attempt, retry.reason(), retry.message());
                    queue.retry(name);
                }
            }
        }
    }

    /**
     * Approves the version we judged, through the {@code approval} subresource. fabric8's {@code approve()} reads the
     * object again first (a third API call per request, a third of the signer's throughput); a stale version here is
     * a 409, retried like any other.
     */
    private CertificateSigningRequest approve(CertificateSigningRequest request, String message, Instant now) {
        String url = client.getMasterUrl().toString().replaceAll("/+$", "")
                + "/apis/certificates.k8s.io/v1/certificatesigningrequests/" + request.getMetadata().getName()
                + "/approval";
        String answer = client.raw(url, "PUT", withStatus(request, null,
                condition("Approved", APPROVED_REASON, message, now)));
        if (answer == null) {
            throw new KubernetesClientException("CertificateSigningRequest " + request.getMetadata().getName()
                    + " is gone", 404, null);
        }
        return client.getKubernetesSerialization().unmarshal(answer, CertificateSigningRequest.class);
    }

    private static boolean approved(CertificateSigningRequest request) {
        return request.getStatus() != null && request.getStatus().getConditions() != null
                && request.getStatus().getConditions().stream()
                .anyMatch(c -> "Approved".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** A copy carrying the resourceVersion we judged, with the certificate and/or an added condition. */
    private static CertificateSigningRequest withStatus(CertificateSigningRequest request, String certificate,
            CertificateSigningRequestCondition added) {
        CertificateSigningRequest copy = new CertificateSigningRequest(request.getApiVersion(), request.getKind(),
                request.getMetadata(), request.getSpec(), null);
        List<CertificateSigningRequestCondition> conditions = new ArrayList<>();
        if (request.getStatus() != null && request.getStatus().getConditions() != null) {
            conditions.addAll(request.getStatus().getConditions());
        }
        if (added != null) {
            conditions.add(added);
        }
        copy.setStatus(new CertificateSigningRequestStatus(certificate, conditions));
        return copy;
    }

    private static CertificateSigningRequestCondition condition(String type, String reason, String message,
            Instant now) {
        String time = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
        return new CertificateSigningRequestConditionBuilder()
                .withType(type)
                .withStatus("True")
                .withReason(reason)
                .withMessage(message.length() <= 1024 ? message : message.substring(0, 1021) + "...")
                .withLastUpdateTime(time)
                .withLastTransitionTime(time)
                .build();
    }

    private static String podOf(PodBoundTokenClaim claim) {
        List<String> pod = claim.extra().get(PodBoundTokenClaim.POD_NAME);
        return pod == null || pod.isEmpty() ? "?" : pod.get(0);
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        queue.close();
    }
}
