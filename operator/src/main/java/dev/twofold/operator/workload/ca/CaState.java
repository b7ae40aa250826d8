package dev.twofold.operator.workload.ca;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every CA of a trust domain at one moment: the one that signs, the one prepared to take over, and retired ones still
 * trusted. Transitions are pure; {@link CaRotation} says which one is due.
 *
 * @param current the CA that signs; {@code null} before the first
 * @param next the CA that takes over at the next rotation, already published; {@code null} when none is prepared
 * @param retired CAs that no longer sign but are still trusted; never {@code null}
 */
public record CaState(CertificateAuthority current, CertificateAuthority next, List<RetiredCa> retired) {

    /** No CA at all. */
    public static final CaState EMPTY = new CaState(null, null, List.of());

    /** Peers may run this far behind our clock; retired CAs stay trusted that much longer. */
    public static final Duration CLOCK_SKEW_ALLOWANCE = Duration.ofMinutes(5);

    public CaState {
        retired = retired == null ? List.of() : List.copyOf(retired);
    }

    /**
     * {@code ca} signs from now; the previous current CA (if any, and not expired) is retired, kept until the last
     * certificate it may have signed, at most {@code maxLeafLifetime} long, has expired. A prepared next CA is
     * discarded (it was never used to sign).
     */
    public CaState withCurrent(CertificateAuthority ca, Instant now, Duration maxLeafLifetime) {
        return new CaState(ca, null, retire(current, now, maxLeafLifetime));
    }

    /** {@code ca} is published as the next CA (replacing a prepared one). */
    public CaState withNext(CertificateAuthority ca) {
        if (current == null) {
            throw new IllegalStateException("a next CA needs a current one");
        }
        return new CaState(current, ca, retired);
    }

    /** The next CA signs from now; the current one is retired as in {@link #withCurrent}. */
    public CaState activateNext(Instant now, Duration maxLeafLifetime) {
        if (next == null) {
            throw new IllegalStateException("no next CA to activate");
        }
        return new CaState(next, null, retire(current, now, maxLeafLifetime));
    }

    /** Without the retired CAs whose {@code keepUntil} has passed at {@code now}. */
    public CaState dropRetired(Instant now) {
        return new CaState(current, next, retired.stream().filter(r -> r.keepUntil().isAfter(now)).toList());
    }

    /**
     * The certificates peers must trust: the trust anchors of the current, next and retired CAs, each once (by
     * fingerprint), current first.
     */
    public List<X509Certificate> trustBundle() {
        Map<String, X509Certificate> anchors = new LinkedHashMap<>();
        if (current != null) {
            anchors.putIfAbsent(CertificateAuthority.fingerprint(current.trustAnchor()), current.trustAnchor());
        }
        if (next != null) {
            anchors.putIfAbsent(CertificateAuthority.fingerprint(next.trustAnchor()), next.trustAnchor());
        }
        for (RetiredCa ca : retired) {
            anchors.putIfAbsent(CertificateAuthority.fingerprint(ca.trustAnchor()), ca.trustAnchor());
        }
        return List.copyOf(anchors.values());
    }

    private List<RetiredCa> retire(CertificateAuthority ca, Instant now, Duration maxLeafLifetime) {
        List<RetiredCa> out = new ArrayList<>(retired);
        if (ca != null && now.isBefore(ca.notAfter())) {
            // A leaf signed just now lives at most maxLeafLifetime and never beyond its CA.
            Instant lastLeafExpiry = now.plus(maxLeafLifetime).plus(CLOCK_SKEW_ALLOWANCE);
            out.add(new RetiredCa(ca.chain(), lastLeafExpiry.isBefore(ca.notAfter()) ? lastLeafExpiry : ca.notAfter()));
        }
        return out;
    }
}
