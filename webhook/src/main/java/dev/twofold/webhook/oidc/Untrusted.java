package dev.twofold.webhook.oidc;

import java.util.List;
import java.util.stream.Collectors;

/** Values from unverified tokens rendered into messages: control characters replaced, cut at 64 characters. */
final class Untrusted {

    static final int MAX_LENGTH = 64;

    private Untrusted() {
    }

    /** {@code "value"} cleaned, or {@code none} for null. */
    static String quote(String value) {
        if (value == null) {
            return "none";
        }
        int end = Math.min(value.length(), MAX_LENGTH);
        StringBuilder out = new StringBuilder(end + 5).append('"');
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029' || c == '"' ? '?' : c);
        }
        if (value.length() > MAX_LENGTH) {
            out.append("...");
        }
        return out.append('"').toString();
    }

    /** {@code ["a", "b"]}, at most 8 entries. */
    static String quoteAll(List<String> values) {
        String shown = values.stream().limit(8).map(Untrusted::quote).collect(Collectors.joining(", "));
        return "[" + shown + (values.size() > 8 ? ", ..." : "") + "]";
    }
}
