package dev.twofold.operator.workload.issuance;

import com.sun.net.httpserver.Headers;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.operator.metrics.WorkloadMetrics;
import dev.twofold.operator.status.EventRecorder;
import dev.twofold.operator.workload.attestation.AttestationClaim.PodBoundTokenClaim;
import dev.twofold.operator.workload.attestation.ClusterView;
import dev.twofold.operator.workload.ca.ActiveCas;
import dev.twofold.operator.workload.ca.Pem;
import dev.twofold.operator.workload.issuer.CsrVerifier;
import dev.twofold.operator.workload.issuer.IssuedCertificate;
import dev.twofold.operator.workload.issuer.RequestRejectedException;
import dev.twofold.operator.workload.issuer.RequestedLifetime;
import dev.twofold.operator.workload.issuer.VerifiedPublicKey;
import dev.twofold.operator.workload.signer.PolicyCounters;
import dev.twofold.operator.workload.signer.SigningOutcome;
import dev.twofold.operator.workload.signer.WorkloadSigning;
import dev.twofold.webhook.server.JsonCodec;
import dev.twofold.webhook.server.OneLine;
import dev.twofold.webhook.server.Outcome;
import dev.twofold.webhook.server.Reply;
import dev.twofold.webhook.server.RequestRejected;
import dev.twofold.webhook.server.Route;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/certificates}: a pod's agent sends its projected service account token (audience {@code twofold})
 * as {@code Authorization: Bearer} and a PKCS#10 request as the body ({@code application/pkcs10}, PEM or DER). The
 * API server reviews the token (signature, expiry, audience, and that the pod it is bound to still exists with that
 * UID); its user and pod extras become the same claim the CSR-API signer attests, and the same issuer signs. Only the
 * request's verified public key is used.
 *
 * <p>Answers: 200 with a {@link CertificateResponse}; 400 malformed request, bad signature or unsupported key; 401
 * missing or rejected token; 403 attestation or policy denied (with the typed reason); 413 oversized; 503 not now
 * (a standby replica, caches not synced, no active CA, the API server unreachable), with {@code Retry-After}.
 */
public final class AgentEndpoint implements Route.Handler {

    public static final String PATH = "/v1/certificates";
    /** The metric tag of this endpoint and of its issuance path. */
    public static final String NAME = "agent";
    public static final String MEDIA_TYPE = "application/pkcs10";
    /** Projected service account tokens are about 1 KiB; the API server allows no more than this of any token. */
    static final int MAX_TOKEN_CHARS = 16 * 1024;

    private static final Logger log = LoggerFactory.getLogger(AgentEndpoint.class);
    private static final Pattern BEARER = Pattern.compile("(?i)bearer +([A-Za-z0-9._~+/=-]+)");

    private final TokenReviewer tokens;
    private final String audience;
    private final CsrVerifier verifier;
    private final WorkloadSigning signing;
    private final ActiveCas cas;
    private final BooleanSupplier serving;
    private final ClusterView view;
    private final PolicyCounters counters;
    private final EventRecorder events;
    private final WorkloadMetrics metrics;
    private final Clock clock;
    private final JsonCodec json;

    /**
     * @param serving whether this replica signs now (the leader, with synced caches); otherwise 503
     * @param view for the Event on the pod of a denied request
     */
    public AgentEndpoint(TokenReviewer tokens, String audience, CsrVerifier verifier, WorkloadSigning signing,
            ActiveCas cas, BooleanSupplier serving, ClusterView view, PolicyCounters counters, EventRecorder events,
            WorkloadMetrics metrics, Clock clock, JsonCodec json) {
        this.tokens = tokens;
        this.audience = audience;
        this.verifier = verifier;
        this.signing = signing;
        this.cas = cas;
        this.serving = serving;
        this.view = view;
        this.counters = counters;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.json = json;
    }

    /** This endpoint at {@value #PATH}. */
    public Route route() {
        return new Route(PATH, NAME, MEDIA_TYPE, this);
    }

    @Override
    public Reply handle(InputStream body, Headers headers) throws RequestRejected, IOException {
        Instant started = clock.instant();
        if (!serving.getAsBoolean()) {
            throw new RequestRejected(503, "standby", "this Twofold operator replica does not sign now (standing by "
                    + "for the leader Lease, or its caches are still syncing); ask again");
        }
        String token = bearerToken(headers);
        byte[] request = body.readNBytes(CsrVerifier.DEFAULT_MAX_BYTES + 1);
        if (request.length > CsrVerifier.DEFAULT_MAX_BYTES) {
            throw denied(413, "too_large", "the certificate request exceeds " + CsrVerifier.DEFAULT_MAX_BYTES
                    + " bytes");
        }

        PodBoundTokenClaim claim = switch (review(token)) {
            case ReviewedToken.Authenticated user -> new PodBoundTokenClaim(user.username(), user.extra());
            case ReviewedToken.Rejected rejected -> throw denied(401, "token_rejected",
                    "the token was not accepted: " + OneLine.clean(rejected.reason()) + " (send the pod's projected "
                    + "service account token with audience " + audience + ")");
        };
        VerifiedPublicKey key;
        try {
            key = verifier.verify(request);
        } catch (RequestRejectedException e) {
            String reason = e.reason().name().toLowerCase(Locale.ROOT);
            throw denied(e.reason() == RequestRejectedException.Reason.TOO_LARGE ? 413 : 400, reason,
                    "the certificate request was rejected (" + reason + "): " + e.getMessage());
        }

        WorkloadSigning.Result result = signing.sign(claim, key, RequestedLifetime.ANY);
        return switch (result.outcome()) {
            case SigningOutcome.Issued issued -> issued(claim, issued, started);
            case SigningOutcome.Denied denied -> {
                result.policy().ifPresent(p -> counters.denied(p, denied.wireReason()));
                recordOnPod(claim, denied);
                log.warn("agent request denied user={} pod={} reason={} message=\"{}\"", claim.username(),
                        pod(claim), denied.reason(), denied.message());
                throw denied(403, denied.wireReason(), "denied (" + denied.reason() + "): " + denied.message());
            }
            case SigningOutcome.Retry retry -> {
                log.info("agent request not signed now user={} reason={} message=\"{}\"", claim.username(),
                        retry.reason(), retry.message());
                throw new RequestRejected(503, retry.reason().toLowerCase(Locale.ROOT), "not signed now ("
                        + retry.reason() + "): " + retry.message() + "; ask again");
            }
        };
    }

    private Reply issued(PodBoundTokenClaim claim, SigningOutcome.Issued issued, Instant started) {
        IssuedCertificate certificate = issued.certificate();
        WorkloadCertificatePolicy policy = issued.policy();
        String policyName = policy.getMetadata().getNamespace() + "/" + policy.getMetadata().getName();
        CertificateResponse response = new CertificateResponse(certificate.spiffeId(),
                Pem.encodeCertificates(certificate.chain()),
                Pem.encodeCertificates(cas.trustBundle(policy.getSpec().trustDomain())),
                time(certificate.notBefore()), time(certificate.notAfter()), time(certificate.beginRefreshAt()),
                policyName);
        metrics.issued(NAME, policyName, Duration.between(started, clock.instant()));
        counters.issued(policy, clock.instant());
        log.info("agent certificate issued user={} pod={} policy={} spiffeId={} notAfter={}", claim.username(),
                pod(claim), policyName, certificate.spiffeId(), certificate.notAfter());
        return new Reply(json.write(response), Outcome.of(Outcome.Kind.ALLOW, "issued"));
    }

    private ReviewedToken review(String token) throws RequestRejected {
        try {
            return tokens.review(token, audience);
        } catch (TokenReviewUnavailable e) {
            log.warn("agent request: token review failed: {}", e.getMessage());
            throw new RequestRejected(503, "token_review_unavailable", e.getMessage() + "; ask again");
        }
    }

    private String bearerToken(Headers headers) throws RequestRejected {
        String authorization = headers.getFirst("Authorization");
        if (authorization == null || authorization.isBlank()) {
            throw denied(401, "missing_token", "no bearer token: send the pod's projected service account token "
                    + "(audience " + audience + ") as 'Authorization: Bearer <token>'");
        }
        if (authorization.length() > MAX_TOKEN_CHARS + 7) {
            throw denied(401, "malformed_token", "the bearer token is longer than " + MAX_TOKEN_CHARS
                    + " characters");
        }
        var matcher = BEARER.matcher(authorization.strip());
        if (!matcher.matches()) {
            throw denied(401, "malformed_token", "the Authorization header is not 'Bearer <token>'");
        }
        return matcher.group(1);
    }

    /** A refusal: counted as a denial of the agent path, answered with {@code status}. */
    private RequestRejected denied(int status, String reason, String message) {
        metrics.denied(NAME, reason);
        return new RequestRejected(status, reason, message);
    }

    /** A denial is worth an Event on the pod when the token named a pod that still exists with that UID. */
    private void recordOnPod(PodBoundTokenClaim claim, SigningOutcome.Denied denied) {
        String namespace = namespace(claim);
        String name = first(claim, PodBoundTokenClaim.POD_NAME);
        String uid = first(claim, PodBoundTokenClaim.POD_UID);
        if (namespace == null || name == null || uid == null) {
            return;
        }
        Pod pod = view.pod(namespace, name).orElse(null);
        if (pod != null && uid.equals(pod.getMetadata().getUid())) {
            events.warning(pod, "WorkloadCertificateDenied", "agent certificate request denied: " + denied.message());
        }
    }

    private static String pod(PodBoundTokenClaim claim) {
        String namespace = namespace(claim);
        String name = first(claim, PodBoundTokenClaim.POD_NAME);
        return namespace == null || name == null ? "-" : namespace + "/" + name;
    }

    private static String namespace(PodBoundTokenClaim claim) {
        if (!claim.username().startsWith(PodBoundTokenClaim.USERNAME_PREFIX)) {
            return null;
        }
        String rest = claim.username().substring(PodBoundTokenClaim.USERNAME_PREFIX.length());
        int colon = rest.indexOf(':');
        return colon <= 0 ? null : rest.substring(0, colon);
    }

    private static String first(PodBoundTokenClaim claim, String key) {
        List<String> values = claim.extra().get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
