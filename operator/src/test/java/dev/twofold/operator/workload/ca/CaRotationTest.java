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

    static Stream<Arguments> requestedPhases() {
        CaState fresh = new CaState(CURRENT, null, List.of());
        CaState preparedEarly = new CaState(CURRENT, NEXT, List.of());
        CertificateAuthority justPrepared = ca(T0.plus(Duration.ofHours(10)));
        CaState preparedNow = new CaState(CURRENT, justPrepared, List.of());
        Instant publishedEnough = T0.plus(Duration.ofHours(11)).plus(CaFactory.BACKDATE);
        CaState withRetired = new CaState(CURRENT, justPrepared,
                List.of(new RetiredCa(ca(T0.minus(Duration.ofHours(400))).chain(), T0.plus(Duration.ofHours(10)))));
        return Stream.of(
                Arguments.of("a requested rotation of a young CA prepares the next CA at once", fresh,
                        T0.plus(Duration.ofHours(10)), new RotationAction.PrepareNext(CaRotation.REQUESTED)),
                Arguments.of("a requested rotation waits until the next CA has been published for the propagation "
                        + "time, not until five sixths", preparedNow, T0.plus(Duration.ofHours(10)).plus(
                                CaFactory.BACKDATE), new RotationAction.None(publishedEnough)),
                Arguments.of("... and then the next CA takes over", preparedNow, publishedEnough,
                        new RotationAction.Activate(CaRotation.REQUESTED)),
                Arguments.of("a next CA prepared on schedule is activated by a request without a new one",
                        preparedEarly, T0.plus(Duration.ofHours(400)),
                        new RotationAction.Activate(CaRotation.REQUESTED)),
                Arguments.of("a requested rotation replaces a prepared next CA that has expired",
                        new CaState(ca(T0.plus(Duration.ofHours(200))), ca(T0.minus(Duration.ofHours(500))),
                                List.of()), T0.plus(Duration.ofHours(300)),
                        new RotationAction.PrepareNext(CaRotation.REQUESTED)),
                Arguments.of("an expired current CA is replaced at once even when a rotation was requested", fresh,
                        T0.plus(Duration.ofHours(601)), new RotationAction.Initialize("the current CA is not valid at "
                                + "2026-01-26T01:00:00Z and no next CA is ready")),
                Arguments.of("retired CAs past their time still leave the bundle while the next CA propagates",
                        withRetired, T0.plus(Duration.ofHours(10)).plus(CaFactory.BACKDATE),
                        new RotationAction.DropRetired(withRetired.retired())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestedPhases")
    @DisplayName("requested rotation phases")
    void decidesRequested(String description, CaState state, Instant now, RotationAction expected) {
        assertThat(ROTATION.decide(state, now, true)).isEqualTo(expected);
    }

    @Test
    @DisplayName("a requested rotation of a day-old CA: prepared and published, signing after the propagation time, "
            + "the old CA trusted until its last leaf expired")
    void requestedCycle() {
        Instant requested = T0.plus(Duration.ofHours(24));
        TestClock clock = new TestClock(requested);
        CaRotation rotation = new CaRotation(clock, PROPAGATION);
        CaState state = new CaState(CURRENT, null, List.of());

        assertThat(rotation.decide(state, clock.instant(), false))
                .isEqualTo(new RotationAction.None(CaRotation.prepareAt(CURRENT)));
        assertThat(rotation.decide(state, clock.instant(), true)).isInstanceOf(RotationAction.PrepareNext.class);
        CertificateAuthority next = ca(requested.minus(CaFactory.BACKDATE));
        state = state.withNext(next);
        assertThat(state.trustBundle()).containsExactly(CURRENT.certificate(), next.certificate());
        assertThat(rotation.publishedEnoughAt(next)).isEqualTo(requested.plus(PROPAGATION));
        assertThat(rotation.decide(state, clock.instant(), true))
                .isEqualTo(new RotationAction.None(requested.plus(PROPAGATION)));
        // Without the request, the same state waits for five sixths.
        assertThat(rotation.decide(state, clock.instant(), false))
                .isEqualTo(new RotationAction.None(CaRotation.activateAt(CURRENT)));

        clock.set(requested.plus(PROPAGATION));
        assertThat(rotation.decide(state, clock.instant(), true))
                .isEqualTo(new RotationAction.Activate(CaRotation.REQUESTED));
        state = state.activateNext(clock.instant(), MAX_LEAF);
        assertThat(state.current()).isEqualTo(next);
        assertThat(state.trustBundle()).containsExactly(next.certificate(), CURRENT.certificate());
        Instant keepUntil = requested.plus(PROPAGATION).plus(MAX_LEAF).plus(CaState.CLOCK_SKEW_ALLOWANCE);
        assertThat(state.retired()).singleElement().satisfies(r -> assertThat(r.keepUntil()).isEqualTo(keepUntil));
        // The request is done: the plan is back on schedule, with the old CA kept until its leaves expired.
        assertThat(rotation.decide(state, clock.instant(), false)).isEqualTo(new RotationAction.None(keepUntil));
    }

    @Test
    @DisplayName("a zero propagation time lets a prepared CA sign as soon as it is created")
    void zeroPropagation() {
        CaRotation rotation = new CaRotation(new TestClock(T0), Duration.ZERO);
        CertificateAuthority next = ca(T0.plus(Duration.ofHours(10)));
        CaState state = new CaState(CURRENT, next, List.of());

        assertThat(rotation.decide(state, T0.plus(Duration.ofHours(10)).plus(CaFactory.BACKDATE), true))
                .isEqualTo(new RotationAction.Activate(CaRotation.REQUESTED));
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
