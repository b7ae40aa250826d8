package dev.twofold.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.policy.Missing;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeTest {

    @Test
    void everyMissingTypeHasASnakeCaseReason() {
        List<Missing> all = List.of(new Missing.AmrAbsent(List.of()), new Missing.AmrNotSatisfied(List.of(), List.of()),
                new Missing.AcrAbsent(List.of()), new Missing.AcrNotAccepted("x", List.of()),
                new Missing.AuthTimeAbsent(Duration.ZERO), new Missing.AuthTooOld(Duration.ZERO, Duration.ZERO),
                new Missing.IssuerAbsent(List.of()), new Missing.IssuerNotAccepted("x", List.of()),
                new Missing.MalformedEvidence("k", "p"));

        assertThat(all).extracting(Outcome::reasonOf).containsExactly("amr_absent", "amr_not_satisfied",
                "acr_absent", "acr_not_accepted", "auth_time_absent", "auth_too_old", "issuer_absent",
                "issuer_not_accepted", "malformed_evidence");
    }

    @Test
    void aDecidedOutcomeIsTaggedWithItsFirstReason() {
        Outcome outcome = Outcome.decided(Outcome.Kind.DENY, "p", List.of(new Missing.AcrAbsent(List.of()),
                new Missing.IssuerAbsent(List.of())));

        assertThat(outcome).isEqualTo(new Outcome(Outcome.Kind.DENY, "p", "acr_absent",
                List.of("acr_absent", "issuer_absent")));
    }
}
