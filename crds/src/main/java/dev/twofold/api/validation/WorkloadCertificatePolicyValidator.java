package dev.twofold.api.validation;

import dev.twofold.api.v1alpha1.AttestationRequirements;
import dev.twofold.api.v1alpha1.KeyType;
import dev.twofold.api.v1alpha1.PodPhase;
import dev.twofold.api.v1alpha1.TrustDomainSpec;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicySpec;
import dev.twofold.api.workload.DnsNameTemplate;
import dev.twofold.api.workload.DnsNames;
import dev.twofold.api.workload.SpiffeIdTemplate;
import dev.twofold.api.workload.TemplateException;
import dev.twofold.api.workload.TtlBounds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Validates a {@link WorkloadCertificatePolicySpec}: everything the CRD schema checks (templates confined to the
 * namespace, DNS names to its services) plus what it cannot express; and, against the named TrustDomain
 * ({@link #validateAgainst}), what crosses objects: a ttl outside the trust domain's bounds is clamped at issuance, so
 * it is a warning.
 */
public final class WorkloadCertificatePolicyValidator {

    public static final Duration MIN_TTL = Duration.ofMinutes(1);
    public static final Duration MAX_TTL = Duration.ofHours(24);

    private WorkloadCertificatePolicyValidator() {
    }

    /** All errors and warnings of {@code spec} on its own, with paths rooted at {@code spec}. */
    public static ValidationResult validate(WorkloadCertificatePolicySpec spec) {
        List<FieldError> errors = new ArrayList<>();
        List<FieldError> warnings = new ArrayList<>();
        if (spec == null) {
            return new ValidationResult(List.of(new FieldError("spec", "is required")), List.of());
        }
        if (spec.trustDomain() == null || spec.trustDomain().isEmpty()) {
            errors.add(new FieldError("spec.trustDomain", "is required"));
        } else if (!DnsNames.isSubdomain(spec.trustDomain())) {
            errors.add(new FieldError("spec.trustDomain", "must name a TrustDomain object (lower-case DNS subdomain); "
                    + "got \"" + Texts.clip(spec.trustDomain()) + "\""));
        }
        if (spec.podSelector() == null) {
            errors.add(new FieldError("spec.podSelector", "is required ({} selects every pod of the namespace)"));
        } else {
            SelectorChecks.check(spec.podSelector(), "spec.podSelector", errors);
        }
        Set<String> accounts = new HashSet<>();
        for (int i = 0; i < spec.serviceAccountNames().size(); i++) {
            String name = spec.serviceAccountNames().get(i);
            String at = "spec.serviceAccountNames[" + i + "]";
            if (!DnsNames.isSubdomain(name)) {
                errors.add(new FieldError(at, "must be a service account name (lower-case DNS subdomain); got \""
                        + Texts.clip(name) + "\""));
            } else if (!accounts.add(name)) {
                errors.add(new FieldError(at, "\"" + name + "\" is listed twice"));
            }
        }
        try {
            SpiffeIdTemplate.parse(spec.spiffeIdTemplate());
        } catch (TemplateException e) {
            errors.add(new FieldError("spec.spiffeIdTemplate", e.getMessage()));
        }
        for (int i = 0; i < spec.dnsNameTemplates().size(); i++) {
            try {
                DnsNameTemplate.parse(spec.dnsNameTemplates().get(i));
            } catch (TemplateException e) {
                errors.add(new FieldError("spec.dnsNameTemplates[" + i + "]", e.getMessage()));
            }
        }
        if (spec.ttl() != null) {
            Optional<Duration> ttl = GoDuration.parse(spec.ttl());
            if (ttl.isEmpty()) {
                errors.add(new FieldError("spec.ttl", "must be a duration such as 30m or 1h (units h, m, s); got \""
                        + Texts.clip(spec.ttl()) + "\""));
            } else if (ttl.get().compareTo(MIN_TTL) < 0 || ttl.get().compareTo(MAX_TTL) > 0) {
                errors.add(new FieldError("spec.ttl", "must be between 1m and 24h; got " + spec.ttl()));
            }
        }
        validateKeyTypes(spec.keyTypes(), errors, warnings);
        validateAttestation(spec.attestation(), errors, warnings);
        return errors.isEmpty() && warnings.isEmpty() ? ValidationResult.OK : new ValidationResult(errors, warnings);
    }

    /**
     * Checks that need the TrustDomain the policy names; warnings only, since issuance clamps the ttl into the
     * trust domain's bounds and the trust domain's own validation reports its errors.
     */
    public static ValidationResult validateAgainst(WorkloadCertificatePolicySpec spec, TrustDomainSpec trustDomain) {
        if (spec == null || trustDomain == null || spec.ttl() == null) {
            return ValidationResult.OK;
        }
        Optional<Duration> ttl = GoDuration.parse(spec.ttl());
        TtlBounds bounds;
        try {
            bounds = TtlBounds.of(trustDomain.workloadTtl());
        } catch (IllegalArgumentException e) {
            return ValidationResult.OK;
        }
        if (ttl.isEmpty() || bounds.clamp(ttl.get()).equals(ttl.get())) {
            return ValidationResult.OK;
        }
        String side = ttl.get().compareTo(bounds.min()) < 0
                ? "below the TrustDomain's minimum " + trustDomain.workloadTtl().min()
                : "above the TrustDomain's maximum " + trustDomain.workloadTtl().max();
        return new ValidationResult(List.of(), List.of(new FieldError("spec.ttl", spec.ttl() + " is " + side
                + "; certificates get " + GoDuration.format(bounds.clamp(ttl.get())))));
    }

    private static void validateKeyTypes(List<KeyType> keyTypes, List<FieldError> errors, List<FieldError> warnings) {
        if (keyTypes.isEmpty()) {
            errors.add(new FieldError("spec.keyTypes", "must allow at least one key type"));
            return;
        }
        Set<KeyType> seen = EnumSet.noneOf(KeyType.class);
        for (int i = 0; i < keyTypes.size(); i++) {
            KeyType type = keyTypes.get(i);
            if (type == null) {
                errors.add(new FieldError("spec.keyTypes[" + i + "]", "must be one of " + List.of(KeyType.values())));
            } else if (!seen.add(type)) {
                errors.add(new FieldError("spec.keyTypes[" + i + "]", type + " is listed twice"));
            }
        }
        if (seen.equals(EnumSet.of(KeyType.RSA2048))) {
            warnings.add(new FieldError("spec.keyTypes", "only RSA2048 is allowed; PodCertificateRequests never use "
                    + "it, so only the CSR API and the agent can get certificates"));
        }
    }

    private static void validateAttestation(AttestationRequirements attestation, List<FieldError> errors,
            List<FieldError> warnings) {
        if (attestation.podPhases().isEmpty()) {
            errors.add(new FieldError("spec.attestation.podPhases", "must allow at least one phase"));
        }
        for (int i = 0; i < attestation.podPhases().size(); i++) {
            PodPhase phase = attestation.podPhases().get(i);
            if (phase == null) {
                errors.add(new FieldError("spec.attestation.podPhases[" + i + "]", "must be one of "
                        + List.of(PodPhase.values())));
            } else if (phase == PodPhase.Succeeded || phase == PodPhase.Failed || phase == PodPhase.Unknown) {
                warnings.add(new FieldError("spec.attestation.podPhases[" + i + "]", phase + " pods have no running "
                        + "containers; allowing them lets finished pods keep getting certificates"));
            }
        }
        if (!attestation.podPhases().isEmpty() && !attestation.podPhases().contains(PodPhase.Pending)) {
            warnings.add(new FieldError("spec.attestation.podPhases", "does not allow Pending; the kubelet requests "
                    + "pod certificates before containers start, so PodCertificateRequests will be denied"));
        }
        attestation.nodeLabels().forEach((key, value) -> {
            if (key == null || key.isEmpty()) {
                errors.add(new FieldError("spec.attestation.nodeLabels", "keys must not be empty"));
            } else if (value == null) {
                errors.add(new FieldError("spec.attestation.nodeLabels[" + key + "]", "must not be null"));
            }
        });
    }
}
