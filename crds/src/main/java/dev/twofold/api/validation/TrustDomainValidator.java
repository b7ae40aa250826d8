package dev.twofold.api.validation;

import dev.twofold.api.v1alpha1.CaSource;
import dev.twofold.api.v1alpha1.SecretReference;
import dev.twofold.api.v1alpha1.TrustBundleTargets;
import dev.twofold.api.v1alpha1.TrustDomainSpec;
import dev.twofold.api.v1alpha1.WorkloadTtl;
import dev.twofold.api.workload.DnsNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Validates a {@link TrustDomainSpec}: everything the CRD schema checks plus what it cannot express. Uniqueness of
 * the trust domain name across TrustDomain objects is the reconciler's job (it needs the other objects).
 *
 * <p>Warnings flag legal but risky choices: a CA lifetime under 30 days (rotations every few days), a workload TTL
 * maximum under 1h (PodCertificateRequests need at least 1h).
 */
public final class TrustDomainValidator {

    public static final Duration MIN_CA_LIFETIME = Duration.ofHours(24);
    public static final Duration MAX_CA_LIFETIME = Duration.ofHours(87_600);
    public static final Duration MIN_WORKLOAD_TTL = Duration.ofMinutes(1);
    public static final Duration MAX_WORKLOAD_TTL = Duration.ofHours(24);
    /** A CA must outlive six maximal leaves: it signs only between 1/3 and 5/6 of its life (see CaRotation). */
    public static final int CA_LIFETIME_FACTOR = 6;

    private TrustDomainValidator() {
    }

    /** All errors and warnings of {@code spec}, with paths rooted at {@code spec}. */
    public static ValidationResult validate(TrustDomainSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        List<FieldError> warnings = new ArrayList<>();
        if (spec == null) {
            return new ValidationResult(List.of(new FieldError("spec", "is required")), List.of());
        }
        if (spec.trustDomain() == null || spec.trustDomain().isEmpty()) {
            errors.add(new FieldError("spec.trustDomain", "is required"));
        } else if (!DnsNames.isSubdomain(spec.trustDomain())) {
            errors.add(new FieldError("spec.trustDomain", "must be lower-case DNS labels (a-z, 0-9, '-') separated by "
                    + "dots, at most 253 characters; got \"" + Texts.clip(spec.trustDomain()) + "\""));
        }

        validateCa(spec.ca(), errors);

        Optional<Duration> caLifetime = duration(spec.caLifetime(), "spec.caLifetime", errors);
        if (caLifetime.isPresent()) {
            Duration lifetime = caLifetime.get();
            if (lifetime.compareTo(MIN_CA_LIFETIME) < 0 || lifetime.compareTo(MAX_CA_LIFETIME) > 0) {
                errors.add(new FieldError("spec.caLifetime", "must be between 24h and 87600h; got "
                        + spec.caLifetime()));
                caLifetime = Optional.empty();
            } else if (lifetime.compareTo(Duration.ofDays(30)) < 0) {
                warnings.add(new FieldError("spec.caLifetime", "is under 30 days; the CA rotates every "
                        + GoDuration.format(lifetime.multipliedBy(5).dividedBy(6)) + " and every rotation must "
                        + "reach every peer's trust bundle in time"));
            }
        }

        Optional<Duration> max = validateTtl(spec.workloadTtl(), errors, warnings);
        if (caLifetime.isPresent() && max.isPresent()
                && caLifetime.get().compareTo(max.get().multipliedBy(CA_LIFETIME_FACTOR)) < 0) {
            errors.add(new FieldError("spec.caLifetime", "must be at least 6 times workloadTtl.max ("
                    + GoDuration.format(max.get().multipliedBy(CA_LIFETIME_FACTOR)) + "); got " + spec.caLifetime()));
        }

        SelectorChecks.check(spec.trustedNodeSelector(), "spec.trustedNodeSelector", errors);
        validateBundle(spec.bundle(), errors);
        return errors.isEmpty() && warnings.isEmpty() ? ValidationResult.OK : new ValidationResult(errors, warnings);
    }

    private static void validateCa(CaSource ca, List<FieldError> errors) {
        Optional<CaSource.Mode> mode = ca.mode();
        if (mode.isEmpty()) {
            errors.add(new FieldError("spec.ca", "needs exactly one of selfSigned or intermediate"));
            return;
        }
        if (mode.get() instanceof CaSource.Intermediate intermediate) {
            SecretReference ref = intermediate.secretRef();
            if (ref == null) {
                errors.add(new FieldError("spec.ca.intermediate.secretRef", "is required"));
                return;
            }
            if (ref.name() == null || !DnsNames.isSubdomain(ref.name())) {
                errors.add(new FieldError("spec.ca.intermediate.secretRef.name", "must be a Secret name (lower-case "
                        + "DNS subdomain)"));
            }
            if (ref.namespace() == null || !DnsNames.isLabel(ref.namespace())) {
                errors.add(new FieldError("spec.ca.intermediate.secretRef.namespace", "must be a namespace name "
                        + "(lower-case DNS label)"));
            }
        }
    }

    /** Checks the bounds; returns max when all three parse. */
    private static Optional<Duration> validateTtl(WorkloadTtl ttl, List<FieldError> errors,
            List<FieldError> warnings) {
        Optional<Duration> min = duration(ttl.min(), "spec.workloadTtl.min", errors);
        Optional<Duration> max = duration(ttl.max(), "spec.workloadTtl.max", errors);
        Optional<Duration> defaultTtl = duration(ttl.defaultTtl(), "spec.workloadTtl.default", errors);
        if (min.isEmpty() || max.isEmpty() || defaultTtl.isEmpty()) {
            return Optional.empty();
        }
        boolean ok = true;
        if (min.get().compareTo(MIN_WORKLOAD_TTL) < 0) {
            errors.add(new FieldError("spec.workloadTtl.min", "must be at least 1m; got " + ttl.min()));
            ok = false;
        }
        if (max.get().compareTo(MAX_WORKLOAD_TTL) > 0) {
            errors.add(new FieldError("spec.workloadTtl.max", "must be at most 24h; got " + ttl.max()));
            ok = false;
        }
        if (min.get().compareTo(max.get()) > 0) {
            errors.add(new FieldError("spec.workloadTtl.min", "must not exceed max (" + ttl.max() + "); got "
                    + ttl.min()));
            ok = false;
        } else if (defaultTtl.get().compareTo(min.get()) < 0 || defaultTtl.get().compareTo(max.get()) > 0) {
            errors.add(new FieldError("spec.workloadTtl.default", "must be between min (" + ttl.min() + ") and max ("
                    + ttl.max() + "); got " + ttl.defaultTtl()));
            ok = false;
        }
        if (ok && max.get().compareTo(Duration.ofHours(1)) < 0) {
            warnings.add(new FieldError("spec.workloadTtl.max", "is under 1h; PodCertificateRequests need at least 1h "
                    + "and will all fail"));
        }
        return ok ? max : Optional.empty();
    }

    private static void validateBundle(TrustBundleTargets bundle, List<FieldError> errors) {
        if (!DnsNames.isSubdomain(bundle.configMapName())) {
            errors.add(new FieldError("spec.bundle.configMapName", "must be a ConfigMap name (lower-case DNS "
                    + "subdomain); got \"" + Texts.clip(bundle.configMapName()) + "\""));
        }
        SelectorChecks.check(bundle.namespaceSelector(), "spec.bundle.namespaceSelector", errors);
    }

    private static Optional<Duration> duration(String text, String path, List<FieldError> errors) {
        Optional<Duration> parsed = GoDuration.parse(text);
        if (parsed.isEmpty()) {
            errors.add(new FieldError(path, "must be a duration such as 10m, 1h or 8760h (units h, m, s); got \""
                    + Texts.clip(text) + "\""));
        }
        return parsed;
    }
}
