package dev.twofold.operator.workload.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.operator.workload.TestClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link CaRotation} with a fixed clock. CAs live 600h (notBefore T0), so half is T0+300h and five sixths T0+500h;
 * the next CA is prepared at T0+300h, bundles need 1h to propagate, leaves live at most 24h.
 */
class CaRotationTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration LIFETIME = Duration.ofHours(600);
    static final Duration PROPAGATION = Duration.ofHours(1);
    static final Duration MAX_LEAF = Duration.ofHours(24);
    static final CaRotation ROTATION = new CaRotation(new TestClock(T0), PROPAGATION);

    /** A CA whose notBefore is {@code notBefore} (the factory backdates a minute from "now"). */
    static CertificateAuthority ca(Instant notBefore) {
        return new CaFactory(new TestClock(notBefore.plus(CaFactory.BACKDATE)), new SecureRandom())
                .selfSigned("td", LIFETIME);
    }

    static final CertificateAuthority CURRENT = ca(T0);
    static final CertificateAuthority NEXT = ca(T0.plus(Duration.ofHours(300)));
    static final CertificateAuthority LATE_NEXT = ca(T0.plus(Duration.ofHours(520)));

    static Stream<Arguments> phases() {
        CaState fresh = new CaState(CURRENT, null, List.of());
        CaState prepared = new CaState(CURRENT, NEXT, List.of());
        CaState preparedLate = new CaState(CURRENT, LATE_NEXT, List.of());
        return Stream.of(
                Arguments.of("no CA at all: initialize", CaState.EMPTY, T0,
                        new RotationAction.Initialize("the trust domain has no CA yet")),
                Arguments.of("young CA: nothing until half its life", fresh, T0.plus(Duration.ofHours(10)),
                        new RotationAction.None(T0.plus(Duration.ofHours(300)))),
                Arguments.of("half its life: prepare and publish the next CA", fresh, T0.plus(Duration.ofHours(300)),
                        new RotationAction.PrepareNext("the current CA has passed half of its lifetime")),
                Arguments.of("next prepared: nothing until five sixths", prepared, T0.plus(Duration.ofHours(301)),
                        new RotationAction.None(T0.plus(Duration.ofHours(500)))),
                Arguments.of("five sixths: the next CA takes over", prepared, T0.plus(Duration.ofHours(500)),
                        new RotationAction.Activate("the current CA has passed five sixths of its lifetime")),
                Arguments.of("a next CA published too recently waits for the bundle to propagate", preparedLate,
                        T0.plus(Duration.ofHours(520)), new RotationAction.None(
                                T0.plus(Duration.ofHours(521)).plus(CaFactory.BACKDATE))),
                Arguments.of("... and takes over once it has", preparedLate,
                        T0.plus(Duration.ofHours(521)).plus(CaFactory.BACKDATE),
                        new RotationAction.Activate("the current CA has passed five sixths of its lifetime")),
                Arguments.of("an expired current CA with a valid next: activate at once", prepared,
                        T0.plus(Duration.ofHours(600)),
                        new RotationAction.Activate("the current CA is not valid at 2026-01-26T00:00:00Z")),
                Arguments.of("an expired current CA without a next: start over", fresh, T0.plus(Duration.ofHours(601)),
                        new RotationAction.Initialize("the current CA is not valid at 2026-01-26T01:00:00Z and no "
                                + "next CA is ready")),
                Arguments.of("a prepared next CA that expired (operator down for long) is prepared again",
                        new CaState(ca(T0.plus(Duration.ofHours(200))), ca(T0.minus(Duration.ofHours(500))), List.of()),
                        T0.plus(Duration.ofHours(500)),
                        new RotationAction.PrepareNext("the prepared next CA has expired")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("phases")
    @DisplayName("rotation phases")
    void decides(String description, CaState state, Instant now, RotationAction expected) {
        assertThat(ROTATION.decide(state, now)).isEqualTo(expected);
    }

    @Test
    @DisplayName("a full cycle: prepare, activate, keep the old CA while its leaves live, then drop it")
    void fullCycle() {
        TestClock clock = new TestClock(T0.plus(Duration.ofHours(300)));
        CaRotation rotation = new CaRotation(clock, PROPAGATION);
        CaState state = new CaState(CURRENT, null, List.of());

        assertThat(rotation.decide(state)).isInstanceOf(RotationAction.PrepareNext.class);
        state = state.withNext(NEXT);
        assertThat(state.trustBundle()).containsExactly(CURRENT.certificate(), NEXT.certificate());

        clock.set(T0.plus(Duration.ofHours(500)));
        assertThat(rotation.decide(state)).isInstanceOf(RotationAction.Activate.class);
        state = state.activateNext(clock.instant(), MAX_LEAF);
        Instant keepUntil = T0.plus(Duration.ofHours(524)).plus(CaState.CLOCK_SKEW_ALLOWANCE);
        assertThat(state.current()).isEqualTo(NEXT);
        assertThat(state.next()).isNull();
        assertThat(state.retired()).singleElement().satisfies(r -> {
            assertThat(r.certificate()).isEqualTo(CURRENT.certificate());
            assertThat(r.keepUntil()).isEqualTo(keepUntil);
        });
        assertThat(state.trustBundle()).containsExactly(NEXT.certificate(), CURRENT.certificate());
        assertThat(rotation.decide(state)).isEqualTo(new RotationAction.None(keepUntil));

        clock.set(keepUntil);
        RotationAction drop = rotation.decide(state);
        assertThat(drop).isEqualTo(new RotationAction.DropRetired(state.retired()));
        state = state.dropRetired(clock.instant());
        assertThat(state.retired()).isEmpty();
        assertThat(state.trustBundle()).containsExactly(NEXT.certificate());
        assertThat(rotation.decide(state)).isEqualTo(new RotationAction.None(CaRotation.prepareAt(NEXT)));
    }

    @Test
    @DisplayName("a retired CA is never kept past its own expiry")
    void keepUntilCappedByExpiry() {
        CaState state = new CaState(CURRENT, NEXT, List.of())
                .activateNext(T0.plus(Duration.ofHours(590)), MAX_LEAF);

        assertThat(state.retired().get(0).keepUntil()).isEqualTo(CURRENT.notAfter());
    }

    @Test
    @DisplayName("initializing over an expired CA keeps nothing; over a valid one retires it")
    void initialize() {
        CaState expired = new CaState(CURRENT, null, List.of()).withCurrent(NEXT, T0.plus(Duration.ofHours(700)),
                MAX_LEAF);
        CaState valid = new CaState(CURRENT, LATE_NEXT, List.of()).withCurrent(NEXT, T0.plus(Duration.ofHours(400)),
                MAX_LEAF);

        assertThat(expired.retired()).isEmpty();
        assertThat(valid.retired()).extracting(RetiredCa::certificate).containsExactly(CURRENT.certificate());
        assertThat(valid.next()).isNull();
    }

    @Test
    @DisplayName("the schedule: prepare at 1/2, activate at 5/6 of the current CA's life")
    void schedule() {
        assertThat(CaRotation.prepareAt(CURRENT)).isEqualTo(T0.plus(Duration.ofHours(300)));
        assertThat(CaRotation.activateAt(CURRENT)).isEqualTo(T0.plus(Duration.ofHours(500)));
    }
}
