package dev.twofold.operator.pki;

import java.time.Duration;
import java.time.Instant;

/** Points in a certificate's life that renewal decisions hang on. */
final class Lifetimes {

    /** The most a certificate's notBefore is set back, for API servers whose clocks lag ours. */
    static final Duration MAX_BACKDATE = Duration.ofMinutes(5);

    private Lifetimes() {
    }

    static Instant twoThirds(Instant notBefore, Instant notAfter) {
        Duration life = Duration.between(notBefore, notAfter);
        return notBefore.plus(life.multipliedBy(2).dividedBy(3));
    }

    /** A tenth of the lifetime, at most {@link #MAX_BACKDATE}: short test lifetimes stay mostly usable. */
    static Duration backdate(Duration lifetime) {
        Duration tenth = lifetime.dividedBy(10);
        return tenth.compareTo(MAX_BACKDATE) < 0 ? tenth : MAX_BACKDATE;
    }
}
