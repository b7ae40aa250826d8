package dev.twofold.operator.workload.signer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.v1alpha1.WorkloadCertificatePolicy;
import dev.twofold.api.v1alpha1.WorkloadCertificatePolicyStatus;
import dev.twofold.operator.workload.Workloads;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyCountersTest {

    @Test
    void counting_starts_from_what_the_status_already_says() {
        WorkloadCertificatePolicy policy = Workloads.policy();
        policy.getMetadata().setUid("uid-1");
        policy.setStatus(new WorkloadCertificatePolicyStatus(1L, List.of(), 41L, "2026-03-01T11:00:00Z",
                Map.of("key_type_not_allowed", 2L)));
        PolicyCounters counters = new PolicyCounters();

        counters.issued(policy, Workloads.NOW);
        counters.denied(policy, "key_type_not_allowed");
        counters.denied(policy, "pod_phase_not_allowed");

        assertThat(counters.totals(policy)).isEqualTo(new PolicyCounters.Totals(42, Workloads.NOW,
                Map.of("key_type_not_allowed", 3L, "pod_phase_not_allowed", 1L)));
    }

    @Test
    void an_untouched_policy_reports_its_status_and_every_change_is_announced() {
        WorkloadCertificatePolicy policy = Workloads.policy();
        PolicyCounters counters = new PolicyCounters();
        List<String> announced = new ArrayList<>();
        counters.onChange(p -> announced.add(p.getMetadata().getName()));

        assertThat(counters.totals(policy)).isEqualTo(new PolicyCounters.Totals(0, null, Map.of()));
        counters.issued(policy, Instant.EPOCH);

        assertThat(announced).containsExactly("web");
    }
}
