package dev.twofold.operator.workload.ca;

import java.time.Instant;
import java.util.List;

/** What {@link CaRotation} says to do next with a trust domain's CAs. One step at a time; decide again after it. */
public sealed interface RotationAction {

    /** Nothing is due; decide again at {@code recheckAt} (e.g. the reconciler's rescheduleAfter). */
    record None(Instant recheckAt) implements RotationAction {
    }

    /** Make a new CA and let it sign at once ({@link CaState#withCurrent}): there is none, or none usable. */
    record Initialize(String reason) implements RotationAction {
    }

    /** Make the next CA and publish it in the bundle ({@link CaState#withNext}); it does not sign yet. */
    record PrepareNext(String reason) implements RotationAction {
    }

    /** Let the next CA sign and retire the current one ({@link CaState#activateNext}). */
    record Activate(String reason) implements RotationAction {
    }

    /** Remove retired CAs that nothing valid can chain to any more ({@link CaState#dropRetired}). */
    record DropRetired(List<RetiredCa> expired) implements RotationAction {
        public DropRetired {
            expired = List.copyOf(expired);
        }
    }
}
