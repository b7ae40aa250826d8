package dev.twofold.operator.workload.signer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.v1alpha1.KeyType;
import dev.twofold.api.v1alpha1.TrustDomain;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.operator.workload.Keys;
import dev.twofold.operator.workload.TestClock;
import dev.twofold.operator.workload.Workloads;
import dev.twofold.operator.workload.attestation.AttestationClaim.PodCertificateRequestClaim;
import dev.twofold.operator.workload.attestation.Attestor;
import dev.twofold.operator.workload.attestation.ClusterView;
import dev.twofold.operator.workload.ca.ActiveCas;
import dev.twofold.operator.workload.ca.CertificateAuthority;
import dev.twofold.operator.workload.ca.CaFactory;
import dev.twofold.operator.workload.issuer.CertificateProfileValidator;
import dev.twofold.operator.workload.issuer.JcaCaSigner;
import dev.twofold.operator.workload.issuer.RequestedLifetime;
import dev.twofold.operator.workload.issuer.VerifiedPublicKey;
import dev.twofold.operator.workload.issuer.WorkloadIssuer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Attest (cache, then confirm live before denying) and issue, as every issuance path does. */
class WorkloadSigningTest {

    static final PodCertificateRequestClaim CLAIM = new PodCertificateRequestClaim(Workloads.NAMESPACE, "web-0",
            Workloads.POD_UID, "web", "sa-uid", "node-1", Workloads.NODE_UID);
    static final VerifiedPublicKey KEY = new VerifiedPublicKey(Keys.p256().getPublic(), KeyType.ECDSAP256);

    final TestClock clock = new TestClock(Workloads.NOW);
    final ActiveCas cas = new ActiveCas();
    final WorkloadIssuer issuer = new WorkloadIssuer(clock, new SecureRandom(), JcaCaSigner.jdk(new SecureRandom()),
            CertificateProfileValidator.bouncyCastle());

    /** A cluster of maps; {@code pods} may be emptied to play a cache that has not seen the pod yet. */
    static final class World implements ClusterView {
        final List<Pod> pods = new ArrayList<>(List.of(Workloads.readyPod()));
        final List<Node> nodes = new ArrayList<>(List.of(Workloads.readyNode()));
        final WorkloadCertificatePolicy policy = Workloads.policy();
        final TrustDomain trustDomain = Workloads.trustDomain();

        @Override
        public Optional<Node> node(String name) {
            return nodes.stream().filter(n -> n.getMetadata().getName().equals(name)).findFirst();
        }

        @Override
        public Optional<Pod> pod(String namespace, String name) {
            return pods.stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst();
        }

        @Override
        public List<WorkloadCertificatePolicy> policies(String namespace) {
            return List.of(policy);
        }

        @Override
        public Optional<TrustDomain> trustDomain(String name) {
            return Optional.of(trustDomain).filter(td -> td.getMetadata().getName().equals(name));
        }
    }

    WorkloadSigning signing(World cache, World live) {
        return new WorkloadSigning(new Attestor(cache), new Attestor(live), cas, issuer);
    }

    void activeCa() {
        CertificateAuthority ca = new CaFactory(clock, new SecureRandom()).selfSigned(Workloads.TRUST_DOMAIN,
                Duration.ofDays(365));
        cas.put("prod", ca, List.of(ca.certificate()));
    }

    @Test
    void an_attested_pod_with_an_active_ca_is_issued_its_spiffe_id() {
        activeCa();
        World world = new World();

        WorkloadSigning.Result result = signing(world, world).sign(CLAIM, KEY, RequestedLifetime.ANY);

        assertThat(result.outcome()).isInstanceOfSatisfying(SigningOutcome.Issued.class, issued ->
                assertThat(issued.certificate().spiffeId())
                        .isEqualTo("spiffe://prod.example.com/ns/demo/sa/web"));
        assertThat(result.policy()).contains(world.policy);
    }

    @Test
    void a_pod_the_cache_has_not_seen_yet_is_confirmed_live_instead_of_denied() {
        activeCa();
        World cache = new World();
        cache.pods.clear();

        assertThat(signing(cache, new World()).sign(CLAIM, KEY, RequestedLifetime.ANY).outcome())
                .isInstanceOf(SigningOutcome.Issued.class);
    }

    @Test
    void a_failure_confirmed_live_is_a_denial_with_a_camel_case_reason() {
        activeCa();
        World cache = new World();
        cache.pods.clear();
        World live = new World();
        live.pods.clear();

        assertThat(signing(cache, live).sign(CLAIM, KEY, RequestedLifetime.ANY).outcome())
                .isEqualTo(new SigningOutcome.Denied("PodNotFound", "pod_not_found", "pod demo/web-0 not found"));
    }

    @Test
    void without_an_active_ca_the_request_waits_rather_than_being_denied() {
        World world = new World();

        assertThat(signing(world, world).sign(CLAIM, KEY, RequestedLifetime.ANY).outcome())
                .isEqualTo(new SigningOutcome.Retry("NoActiveCa",
                        "TrustDomain prod has no active CA yet (see its status)"));
    }

    @Test
    void a_lifetime_the_trust_domain_cannot_meet_is_denied() {
        activeCa();
        World world = new World();

        assertThat(signing(world, world).sign(CLAIM, KEY,
                new RequestedLifetime(Duration.ofHours(48), null)).outcome())
                .isInstanceOfSatisfying(SigningOutcome.Denied.class, denied -> {
                    assertThat(denied.reason()).isEqualTo("LifetimeUnsatisfiable");
                    assertThat(denied.wireReason()).isEqualTo("lifetime_unsatisfiable");
                });
    }
}
