package dev.twofold.operator.workload.ca;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A CA that no longer signs but stays in the trust bundle until {@link #keepUntil()}, when the last certificate it
 * may have signed has expired. Its key is gone.
 *
 * @param chain the CA certificate first, its trust anchor last
 * @param keepUntil when it may leave the bundle
 */
public record RetiredCa(List<X509Certificate> chain, Instant keepUntil) {

    public RetiredCa {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a retired CA needs its certificate");
        }
        Objects.requireNonNull(keepUntil, "keepUntil");
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    public X509Certificate trustAnchor() {
        return chain.get(chain.size() - 1);
    }
}
