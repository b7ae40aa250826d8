package dev.twofold.operator.workload.ca;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CA that signs now, per TrustDomain object name, as the TrustDomain reconciler last stored it. The signers read
 * it per request; only the reconciler writes it (after the CA Secret was written), so a CA signs only once it is
 * persisted and published.
 */
public final class ActiveCas {

    private final Map<String, CertificateAuthority> current = new ConcurrentHashMap<>();

    /** The signing CA of TrustDomain {@code name}, if it has one. */
    public Optional<CertificateAuthority> current(String name) {
        return Optional.ofNullable(current.get(name));
    }

    public void put(String name, CertificateAuthority ca) {
        current.put(name, ca);
    }

    public void remove(String name) {
        current.remove(name);
    }
}
