package dev.twofold.operator.status;

import dev.twofold.api.policy.Compilation;
import dev.twofold.api.v1alpha1.Enforcement;
import dev.twofold.api.v1alpha1.MfaPolicy;
import dev.twofold.api.v1alpha1.MfaPolicyStatus;
import dev.twofold.api.validation.FieldError;
import dev.twofold.api.validation.ValidationResult;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds an MfaPolicy's whole status from its compilation: {@code observedGeneration}, the {@value #READY} and
 * {@value #WARNINGS} conditions, and {@code admissionRules}. The one place status is computed (STYLE 3).
 *
 * <p>A condition keeps its {@code lastTransitionTime} unless its status flips; reason, message and observedGeneration
 * may change without moving it. Times have second precision, as the API server stores them, so an unchanged status
 * compares equal to the stored one and is not written again.
 */
public final class PolicyStatusAggregator {

    public static final String READY = MfaPolicyStatus.READY;
    public static final String WARNINGS = "Warnings";

    /** Ready=True: the policy compiled and is in force. */
    public static final String COMPILED = "Compiled";
    /** Ready=False: the spec has errors; also the Event reason. */
    public static final String INVALID_SPEC = "InvalidSpec";
    /** Ready=False: enforcement is Disabled. */
    public static final String DISABLED = "Disabled";
    /** Warnings=True. */
    public static final String VALIDATION_WARNINGS = "ValidationWarnings";
    /** Warnings=False. */
    public static final String NO_WARNINGS = "NoWarnings";

    /** Condition messages are capped well below the API's 32768 characters. */
    static final int MAX_MESSAGE = 8192;

    /** The status {@code policy} should have, given its compilation, at {@code now}. */
    public MfaPolicyStatus aggregate(MfaPolicy policy, Compilation compilation, Instant now) {
        Long generation = policy.getMetadata().getGeneration();
        List<Condition> previous = policy.getStatus() == null ? List.of() : policy.getStatus().conditions();
        ValidationResult validation = compilation.validation();

        String readyStatus;
        String readyReason;
        String readyMessage;
        int admissionRules;
        switch (compilation) {
            case Compilation.Rejected rejected -> {
                readyStatus = "False";
                readyReason = INVALID_SPEC;
                readyMessage = "the spec is invalid: " + validation.errorSummary();
                admissionRules = 0;
            }
            case Compilation.Compiled compiled when compiled.policy().enforcement() == Enforcement.DISABLED -> {
                readyStatus = "False";
                readyReason = DISABLED;
                readyMessage = "spec.enforcement is Disabled: the policy is kept but matches nothing";
                admissionRules = 0;
            }
            case Compilation.Compiled compiled -> {
                readyStatus = "True";
                readyReason = COMPILED;
                admissionRules = compiled.policy().rulesForAdmission().size();
                readyMessage = "in force (" + compiled.policy().enforcement().wireName() + "); " + admissionRules
                        + " admission " + (admissionRules == 1 ? "rule" : "rules") + " for the webhook configuration";
            }
        }
        Condition ready = condition(READY, readyStatus, readyReason, readyMessage, generation, previous, now);
        Condition warnings = validation.warnings().isEmpty()
                ? condition(WARNINGS, "False", NO_WARNINGS, "no validation warnings", generation, previous, now)
                : condition(WARNINGS, "True", VALIDATION_WARNINGS, validation.warnings().stream()
                        .map(FieldError::toString).collect(Collectors.joining("; ")), generation, previous, now);
        return new MfaPolicyStatus(generation, List.of(ready, warnings), admissionRules);
    }

    /** Whether {@code desired} differs from what the policy carries (so a status patch is needed). */
    public static boolean changed(MfaPolicy policy, MfaPolicyStatus desired) {
        return !desired.equals(policy.getStatus());
    }

    private static Condition condition(String type, String status, String reason, String message, Long generation,
            List<Condition> previous, Instant now) {
        String since = previous.stream()
                .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null)
                .map(Condition::getLastTransitionTime)
                .findFirst()
                .orElseGet(() -> DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)));
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(cap(message))
                .withObservedGeneration(generation)
                .withLastTransitionTime(since)
                .build();
    }

    private static String cap(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    }
}
