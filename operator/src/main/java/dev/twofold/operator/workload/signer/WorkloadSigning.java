package dev.twofold.operator.workload.signer;

import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.operator.workload.attestation.Attestation;
import dev.twofold.operator.workload.attestation.AttestationClaim;
import dev.twofold.operator.workload.attestation.Attestor;
import dev.twofold.operator.workload.ca.ActiveCas;
import dev.twofold.operator.workload.ca.CertificateAuthority;
import dev.twofold.operator.workload.issuer.IssuanceException;
import dev.twofold.operator.workload.issuer.IssuanceRequest;
import dev.twofold.operator.workload.issuer.IssuedCertificate;
import dev.twofold.operator.workload.issuer.RequestedLifetime;
import dev.twofold.operator.workload.issuer.VerifiedPublicKey;
import dev.twofold.operator.workload.issuer.WorkloadIssuer;
import java.util.Optional;

/**
 * Attestation and issuance shared by the issuance paths, once the request's key is verified. Attestation reads the
 * informer caches; a failure is confirmed against the API server before it becomes a denial, because a denial is
 * final (a Denied PodCertificateRequest blocks the pod) and a cache may not yet show a pod created a moment ago.
 */
public final class WorkloadSigning {

    private final Attestor cached;
    private final Attestor live;
    private final ActiveCas cas;
    private final WorkloadIssuer issuer;

    public WorkloadSigning(Attestor cached, Attestor live, ActiveCas cas, WorkloadIssuer issuer) {
        this.cached = cached;
        this.live = live;
        this.cas = cas;
        this.issuer = issuer;
    }

    /** A typed result: issued, denied (with the policy when one matched) or retry. */
    public record Result(SigningOutcome outcome, Optional<WorkloadCertificatePolicy> policy) {
    }

    public Result sign(AttestationClaim claim, VerifiedPublicKey key, RequestedLifetime lifetime) {
        Attestation attestation = cached.attest(claim, key.type());
        if (attestation instanceof Attestation.Failed) {
            attestation = live.attest(claim, key.type());
        }
        return switch (attestation) {
            case Attestation.Failed failed -> new Result(new SigningOutcome.Denied(
                    SigningOutcome.camel(failed.reason().name()), failed.reason().wireName(), failed.message()),
                    Optional.empty());
            case Attestation.Attested attested -> issue(attested, key, lifetime);
        };
    }

    private Result issue(Attestation.Attested attested, VerifiedPublicKey key, RequestedLifetime lifetime) {
        String trustDomain = attested.trustDomain().getMetadata().getName();
        Optional<CertificateAuthority> ca = cas.current(trustDomain);
        if (ca.isEmpty()) {
            return new Result(new SigningOutcome.Retry("NoActiveCa", "TrustDomain " + trustDomain
                    + " has no active CA yet (see its status)"), Optional.of(attested.policy()));
        }
        try {
            IssuedCertificate issued = issuer.issue(new IssuanceRequest(key, attested.identity(), attested.policy(),
                    attested.trustDomain(), ca.get(), lifetime));
            return new Result(new SigningOutcome.Issued(issued, attested.policy()), Optional.of(attested.policy()));
        } catch (IssuanceException e) {
            SigningOutcome outcome = e.reason().isUserError()
                    ? new SigningOutcome.Denied(SigningOutcome.camel(e.reason().name()),
                            e.reason().name().toLowerCase(java.util.Locale.ROOT), e.getMessage())
                    : new SigningOutcome.Retry(SigningOutcome.camel(e.reason().name()), e.getMessage());
            return new Result(outcome, Optional.of(attested.policy()));
        }
    }
}
