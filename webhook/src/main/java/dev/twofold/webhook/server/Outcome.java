package dev.twofold.webhook.server;

import dev.twofold.api.policy.Missing;
import java.util.List;

/**
 * What one request came to, in the low-cardinality vocabulary of the metrics: never a user or resource name.
 *
 * @param kind the decision
 * @param policy the deciding MfaPolicy's name, or {@link #NO_POLICY}
 * @param reason a stable snake_case code, e.g. {@code amr_not_satisfied}, {@code no_policy_matched},
 *     {@code malformed_json}
 * @param missing the deciding policy's unmet requirements as snake_case codes (for deny and audit_warn)
 */
public record Outcome(Kind kind, String policy, String reason, List<String> missing) {

    /** The policy tag of outcomes no MfaPolicy decided. */
    public static final String NO_POLICY = "none";

    /** The decisions a request can come to. */
    public enum Kind {
        ALLOW("allow"),
        DENY("deny"),
        /** Allowed, but an Audit policy would have denied it. */
        AUDIT_WARN("audit_warn"),
        /** Authorization only: Twofold neither allows nor denies; the next authorizer decides. */
        NO_OPINION("no_opinion"),
        /** Bad input, not ready, or an internal failure. */
        ERROR("error");

        private final String tag;

        Kind(String tag) {
            this.tag = tag;
        }

        /** The metric tag value. */
        public String tag() {
            return tag;
        }
    }

    // Computed once per Missing type: the request path must not rebuild strings.
    private static final ClassValue<String> SNAKE_CASE = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return snakeCase(type.getSimpleName());
        }
    };

    public Outcome {
        policy = policy == null ? NO_POLICY : policy;
        missing = List.copyOf(missing);
    }

    /** An outcome no policy decided, e.g. {@code (ERROR, "malformed_json")}. */
    public static Outcome of(Kind kind, String reason) {
        return new Outcome(kind, NO_POLICY, reason, List.of());
    }

    /** A policy's deny or audit_warn; the reason is its first unmet requirement. */
    public static Outcome decided(Kind kind, String policy, List<Missing> missing) {
        List<String> reasons = missing.stream().map(Outcome::reasonOf).toList();
        return new Outcome(kind, policy, reasons.isEmpty() ? "unknown" : reasons.getFirst(), reasons);
    }

    /** {@code AmrNotSatisfied} → {@code amr_not_satisfied}. */
    public static String reasonOf(Missing missing) {
        return SNAKE_CASE.get(missing.getClass());
    }

    static String snakeCase(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
