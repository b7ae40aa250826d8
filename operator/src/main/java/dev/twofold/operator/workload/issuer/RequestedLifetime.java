package dev.twofold.operator.workload.issuer;

import java.time.Duration;
import java.util.Objects;

/**
 * Lifetime limits set by the request path on top of policy and trust domain bounds, for certificate lifetime
 * {@code notAfter - notBefore}.
 *
 * @param atLeast the shortest acceptable lifetime ({@link Duration#ZERO} for none)
 * @param atMost the longest acceptable lifetime, or {@code null} for no limit
 */
public record RequestedLifetime(Duration atLeast, Duration atMost) {

    /** No limits beyond policy and trust domain (agent endpoint). */
    public static final RequestedLifetime ANY = new RequestedLifetime(Duration.ZERO, null);

    /** kube-apiserver rejects PodCertificateRequest certificates shorter than this. */
    public static final Duration POD_CERTIFICATE_MINIMUM = Duration.ofHours(1);

    public RequestedLifetime {
        Objects.requireNonNull(atLeast, "atLeast");
        if (atMost != null && atMost.compareTo(atLeast) < 0) {
            throw new IllegalArgumentException("atMost " + atMost + " is below atLeast " + atLeast);
        }
    }

    /** A PodCertificateRequest's limits: at least 1h, at most {@code spec.maxExpirationSeconds}. */
    public static RequestedLifetime forPodCertificateRequest(int maxExpirationSeconds) {
        return new RequestedLifetime(POD_CERTIFICATE_MINIMUM, Duration.ofSeconds(maxExpirationSeconds));
    }

    /** A CSR API request's limit: at most {@code spec.expirationSeconds} when set ({@code null}: none). */
    public static RequestedLifetime forCertificateSigningRequest(Integer expirationSeconds) {
        return expirationSeconds == null ? ANY : new RequestedLifetime(Duration.ZERO,
                Duration.ofSeconds(expirationSeconds));
    }
}
