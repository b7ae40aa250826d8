package dev.twofold.operator.workload.ca;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Plans CA rotation after SPIRE's model: the next CA is prepared (and published in the trust bundle) at half of the
 * current CA's life, signs from five sixths on, and retired CAs stay in the bundle until the last certificate they
 * signed has expired. Pure: {@link #decide(CaState, Instant, boolean)} looks at the state, the time and whether an
 * operator asked for a rotation, nothing else.
 *
 * <p>Activation also waits until the next CA has been published for {@code bundlePropagation}, so every peer has it
 * before anything it signed shows up; an expired current CA overrides that (nothing can be issued otherwise).
 *
 * <p>A requested rotation (SPIRE's {@code localauthority x509 prepare} then {@code activate}, in one request) does not
 * wait for the schedule: a next CA is prepared at once unless one is already prepared, and it takes over as soon as
 * it has been published for {@code bundlePropagation}. Retired CAs stay in the bundle as in a scheduled rotation.
 */
public final class CaRotation {

    /** The reason of the steps a requested rotation takes. */
    public static final String REQUESTED = "a rotation was requested";

    private final Clock clock;
    private final Duration bundlePropagation;

    public CaRotation(Clock clock, Duration bundlePropagation) {
        if (bundlePropagation.isNegative()) {
            throw new IllegalArgumentException("the bundle propagation time must not be negative");
        }
        this.clock = clock;
        this.bundlePropagation = bundlePropagation;
    }

    /** {@link #decide(CaState, Instant)} at the clock's current instant. */
    public RotationAction decide(CaState state) {
        return decide(state, clock.instant());
    }

    /** The one step due for {@code state} at {@code now} when no rotation was requested. */
    public RotationAction decide(CaState state, Instant now) {
        return decide(state, now, false);
    }

    /**
     * The one step due for {@code state} at {@code now}: rotation first, then clean-up, else when to look again.
     *
     * @param rotationRequested an operator asked for a rotation that no activation has completed yet
     */
    public RotationAction decide(CaState state, Instant now, boolean rotationRequested) {
        CertificateAuthority current = state.current();
        CertificateAuthority next = state.next();
        if (current == null) {
            return new RotationAction.Initialize("the trust domain has no CA yet");
        }
        if (!current.validAt(now)) {
            if (next != null && next.validAt(now)) {
                return new RotationAction.Activate("the current CA is not valid at " + now);
            }
            return new RotationAction.Initialize("the current CA is not valid at " + now + " and no next CA is ready");
        }
        boolean nextUsable = next != null && now.isBefore(next.notAfter());
        if (rotationRequested) {
            if (!nextUsable) {
                return new RotationAction.PrepareNext(REQUESTED);
            }
            if (!now.isBefore(publishedEnoughAt(next))) {
                return new RotationAction.Activate(REQUESTED);
            }
        } else if (!nextUsable) {
            if (!now.isBefore(prepareAt(current))) {
                return new RotationAction.PrepareNext(next == null
                        ? "the current CA has passed half of its lifetime" : "the prepared next CA has expired");
            }
        } else if (!now.isBefore(activateAt(current)) && !now.isBefore(publishedEnoughAt(next))) {
            return new RotationAction.Activate("the current CA has passed five sixths of its lifetime");
        }
        List<RetiredCa> expired = state.retired().stream().filter(r -> !now.isBefore(r.keepUntil())).toList();
        if (!expired.isEmpty()) {
            return new RotationAction.DropRetired(expired);
        }
        return new RotationAction.None(recheckAt(state, rotationRequested));
    }

    /** When the next CA should be prepared: half of {@code ca}'s life. */
    public static Instant prepareAt(CertificateAuthority ca) {
        return ca.notBefore().plus(ca.lifetime().dividedBy(2));
    }

    /** When the next CA should take over: five sixths of {@code ca}'s life. */
    public static Instant activateAt(CertificateAuthority ca) {
        return ca.notBefore().plus(ca.lifetime().multipliedBy(5).dividedBy(6));
    }

    /**
     * When {@code next} has been in the bundle for the propagation time and may sign: a CA is created (and published)
     * at its notBefore plus the backdate.
     */
    public Instant publishedEnoughAt(CertificateAuthority next) {
        return next.notBefore().plus(CaFactory.BACKDATE).plus(bundlePropagation);
    }

    private Instant recheckAt(CaState state, boolean rotationRequested) {
        CertificateAuthority current = state.current();
        Instant at = current.notAfter();
        if (state.next() == null) {
            at = earliest(at, prepareAt(current));
        } else {
            Instant activate = activateAt(current);
            Instant published = publishedEnoughAt(state.next());
            at = earliest(at, rotationRequested || published.isAfter(activate) ? published : activate);
            at = earliest(at, state.next().notAfter());
        }
        for (RetiredCa retired : state.retired()) {
            at = earliest(at, retired.keepUntil());
        }
        return at;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
