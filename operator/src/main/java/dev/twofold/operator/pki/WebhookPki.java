package dev.twofold.operator.pki;

import dev.twofold.operator.config.PkiSettings;
import dev.twofold.operator.config.ServingSans;
import dev.twofold.operator.pki.PkiChange.Kind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides, from what the two Secrets hold and the time, what they should hold: the webhook's serving CA lifecycle and
 * its serving certificate. No I/O; keys come from the {@link CertificateMinter}.
 *
 * <p>The CA rotates at 2/3 of its lifetime in three steps, so the API server never meets a certificate from a CA it
 * does not trust yet: (1) the next CA is generated and published in the bundle next to the current one; (2) after
 * the overlap (measured from the next CA's notBefore) it becomes the signing CA, the serving certificate is re-issued
 * by it, and the old CA stays in the bundle as {@code previous.crt}; (3) once the serving certificate from the new CA
 * has been out for the overlap (so the webhook has reloaded it), or the old CA has expired, the old CA is dropped. A
 * pre-existing valid CA (a user's own) is adopted as the current CA and rotated the same way when due.
 *
 * <p>The serving certificate is re-issued when absent or unreadable, at 2/3 of its lifetime, when its names differ
 * from the configured ones, or when it was not signed by the current CA.
 */
public final class WebhookPki {

    private final PkiSettings settings;
    private final ServingSans sans;
    private final CertificateMinter minter;

    public WebhookPki(PkiSettings settings, ServingSans sans, CertificateMinter minter) {
        this.settings = settings;
        this.sans = sans;
        this.minter = minter;
    }

    /** The Secrets' data ({@code null} for an absent Secret) at {@code now} → what they should hold. */
    public PkiOutcome reconcile(Map<String, String> caData, Map<String, String> tlsData, Instant now) {
        List<PkiChange> changes = new ArrayList<>();
        CertificateAuthority current;
        CertificateAuthority next = null;
        X509Certificate previous = null;
        switch (CaSecretContent.read(caData)) {
            case CaSecretContent.Broken broken -> {
                return new PkiOutcome.Rejected(PkiOutcome.INVALID_CA_SECRET, "Secret key " + broken.message()
                        + "; fix or delete the Secret (the operator then generates a new CA)");
            }
            case CaSecretContent.Absent absent -> {
                current = minter.newCa(now, settings.caLifetime());
                changes.add(new PkiChange(Kind.CaCreated, "generated CA " + describe(current.certificate())));
            }
            case CaSecretContent.Present present -> {
                current = present.current();
                next = present.next();
                previous = present.previous();
            }
        }

        // Step 2 of a rotation, early if the current CA is about to lapse.
        if (next != null && (!now.isBefore(next.notBefore().plus(settings.rotationOverlap()))
                || !now.isBefore(current.notAfter()))) {
            previous = current.certificate();
            current = next;
            next = null;
            changes.add(new PkiChange(Kind.CaRotated, "CA " + describe(current.certificate())
                    + " now signs; the previous CA stays trusted until nothing it signed is in use"));
        }
        if (!now.isBefore(current.notAfter())) {
            String expired = describe(current.certificate());
            current = minter.newCa(now, settings.caLifetime());
            previous = null;
            changes.add(new PkiChange(Kind.CaReplaced, "CA " + expired + " had expired without a successor; "
                    + "generated CA " + describe(current.certificate())));
        }
        // Step 1.
        if (next == null && !now.isBefore(current.rotationDue())) {
            next = minter.newCa(now, settings.caLifetime());
            changes.add(new PkiChange(Kind.CaRotationStarted, "published next CA " + describe(next.certificate())
                    + " in the bundle; it signs from " + next.notBefore().plus(settings.rotationOverlap())));
        }

        ServingSecretContent served = ServingSecretContent.read(tlsData);
        ServingCertificate serving = served instanceof ServingSecretContent.Present present
                ? present.certificate() : null;
        String issueReason = issueReason(served, current, now);
        if (issueReason != null) {
            serving = minter.newServingCertificate(current, sans, now, settings.servingCertLifetime());
            changes.add(new PkiChange(Kind.ServingCertIssued, "issued serving certificate for " + names()
                    + " valid until " + serving.notAfter() + " (" + issueReason + ")"));
        }

        // Step 3.
        if (previous != null && (!now.isBefore(previous.getNotAfter().toInstant())
                || !now.isBefore(serving.notBefore().plus(settings.rotationOverlap())))) {
            changes.add(new PkiChange(Kind.PreviousCaDropped, "dropped previous CA " + describe(previous)
                    + " from the bundle"));
            previous = null;
        }

        List<X509Certificate> bundle = new ArrayList<>();
        bundle.add(current.certificate());
        Map<String, String> ca = new LinkedHashMap<>();
        ca.put(CaSecretContent.CA_CRT, Pem.certificate(current.certificate()));
        ca.put(CaSecretContent.CA_KEY, Pem.privateKey(current.key()));
        if (next != null) {
            bundle.add(next.certificate());
            ca.put(CaSecretContent.NEXT_CRT, Pem.certificate(next.certificate()));
            ca.put(CaSecretContent.NEXT_KEY, Pem.privateKey(next.key()));
        }
        if (previous != null) {
            bundle.add(previous);
            ca.put(CaSecretContent.PREVIOUS_CRT, Pem.certificate(previous));
        }
        String caBundle = Pem.certificates(bundle);
        Map<String, String> tls = new LinkedHashMap<>();
        tls.put(ServingSecretContent.TLS_CRT, Pem.certificate(serving.certificate()));
        tls.put(ServingSecretContent.TLS_KEY, Pem.privateKey(serving.key()));
        tls.put(ServingSecretContent.CA_CRT, caBundle);
        if (caData != null && caUnchanged(changes)) {
            // Unchanged material keeps its exact stored text (a user's PEM may differ from ours byte for byte).
            keepStoredText(caData, ca);
        }
        if (tlsData != null && issueReason == null) {
            keepStoredText(tlsData, tls, ServingSecretContent.TLS_CRT, ServingSecretContent.TLS_KEY);
        }

        Instant nextCheck = nextCheck(now, current, next, previous, serving);
        return new PkiOutcome.Ready(ca, tls, caBundle, changes, nextCheck, current.notAfter(), serving.notAfter());
    }

    /** Why the serving certificate must be (re-)issued, or {@code null} when it is fine. */
    private String issueReason(ServingSecretContent served, CertificateAuthority current, Instant now) {
        return switch (served) {
            case ServingSecretContent.Absent absent -> "none existed";
            case ServingSecretContent.Unusable unusable -> "the stored one was unusable: " + unusable.reason();
            case ServingSecretContent.Present present -> {
                ServingCertificate certificate = present.certificate();
                if (!KeyPairCheck.signedBy(certificate.certificate(), current.certificate())) {
                    yield "not signed by the current CA";
                }
                if (!now.isBefore(certificate.renewalDue())) {
                    yield "2/3 of its lifetime had passed";
                }
                if (!sansMatch(certificate.certificate())) {
                    yield "its names differed from " + names();
                }
                yield null;
            }
        };
    }

    private static boolean caUnchanged(List<PkiChange> changes) {
        return changes.stream().noneMatch(c -> c.kind() != Kind.ServingCertIssued);
    }

    private static void keepStoredText(Map<String, String> stored, Map<String, String> desired, String... keys) {
        Collection<String> which = keys.length == 0 ? List.copyOf(desired.keySet()) : List.of(keys);
        for (String key : which) {
            if (stored.containsKey(key)) {
                desired.put(key, stored.get(key));
            }
        }
    }

    private Instant nextCheck(Instant now, CertificateAuthority current, CertificateAuthority next,
            X509Certificate previous, ServingCertificate serving) {
        List<Instant> due = new ArrayList<>();
        due.add(now.plus(settings.recheckInterval()));
        due.add(serving.renewalDue());
        due.add(next != null ? next.notBefore().plus(settings.rotationOverlap()) : current.rotationDue());
        if (previous != null) {
            due.add(previous.getNotAfter().toInstant());
            due.add(serving.notBefore().plus(settings.rotationOverlap()));
        }
        Instant earliest = due.stream().filter(now::isBefore).min(Instant::compareTo)
                .orElse(now.plus(settings.recheckInterval()));
        Instant soonest = now.plus(Duration.ofSeconds(1));
        return earliest.isBefore(soonest) ? soonest : earliest;
    }

    private boolean sansMatch(X509Certificate certificate) {
        Set<String> wantDns = new HashSet<>();
        sans.dnsNames().forEach(d -> wantDns.add(d.toLowerCase(Locale.ROOT)));
        Set<String> wantIps = new HashSet<>();
        sans.ipAddresses().forEach(ip -> wantIps.add(ip.getHostAddress()));
        Set<String> haveDns = new HashSet<>();
        Set<String> haveIps = new HashSet<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    int type = (Integer) name.get(0);
                    String value = String.valueOf(name.get(1));
                    if (type == 2) {
                        haveDns.add(value.toLowerCase(Locale.ROOT));
                    } else if (type == 7) {
                        haveIps.add(InetAddress.getByName(value).getHostAddress());
                    }
                }
            }
        } catch (CertificateParsingException | UnknownHostException e) {
            return false;
        }
        return wantDns.equals(haveDns) && wantIps.equals(haveIps);
    }

    private String names() {
        List<String> all = new ArrayList<>(sans.dnsNames());
        sans.ipAddresses().forEach(ip -> all.add(ip.getHostAddress()));
        return String.join(",", all);
    }

    private static String describe(X509Certificate certificate) {
        return "\"" + certificate.getSubjectX500Principal().getName() + "\" (serial "
                + certificate.getSerialNumber().toString(16) + ", notAfter " + certificate.getNotAfter().toInstant()
                + ")";
    }
}
