package dev.twofold.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Builds status conditions whose {@code lastTransitionTime} moves only when the status flips (STYLE 3), for the
 * workload identity reconcilers.
 */
public final class Conditions {

    /** Condition messages are capped well below the API's 32768 characters. */
    static final int MAX_MESSAGE = 8192;

    private Conditions() {
    }

    /** A condition; keeps {@code previous}'s transition time when a condition of that type had the same status. */
    public static Condition condition(String type, boolean status, String reason, String message, Long generation,
            List<Condition> previous, Instant now) {
        String value = status ? "True" : "False";
        String since = previous.stream()
                .filter(c -> type.equals(c.getType()) && value.equals(c.getStatus()) && c.getLastTransitionTime() != null)
                .map(Condition::getLastTransitionTime)
                .findFirst()
                .orElseGet(() -> DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)));
        return new ConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(reason)
                .withMessage(message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...")
                .withObservedGeneration(generation)
                .withLastTransitionTime(since)
                .build();
    }
}
