package dev.twofold.operator.workload.ca;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CA that signs now, and the trust bundle published with it, per TrustDomain object name, as the TrustDomain
 * reconciler last stored them. The signers read them per request; only the reconciler writes them (after the CA
 * Secret was written), so a CA signs only once it is persisted and published.
 */
public final class ActiveCas {

    private record Active(CertificateAuthority ca, List<X509Certificate> bundle) {
    }

    private final Map<String, Active> active = new ConcurrentHashMap<>();

    /** The signing CA of TrustDomain {@code name}, if it has one. */
    public Optional<CertificateAuthority> current(String name) {
        return Optional.ofNullable(active.get(name)).map(Active::ca);
    }

    /** Every CA certificate peers of TrustDomain {@code name} should trust (current, next and retired CAs). */
    public List<X509Certificate> trustBundle(String name) {
        Active entry = active.get(name);
        return entry == null ? List.of() : entry.bundle();
    }

    public void put(String name, CertificateAuthority ca, List<X509Certificate> trustBundle) {
        active.put(name, new Active(ca, List.copyOf(trustBundle)));
    }

    public void remove(String name) {
        active.remove(name);
    }
}
