package dev.twofold.api.workload;

/** Rendering of untrusted values into one-line messages: control characters replaced, length bounded. */
final class Text {

    static final int MAX = 100;

    private Text() {
    }

    /** {@code value} with control characters replaced by {@code ?}, cut at {@value #MAX} characters. */
    static String clip(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX) + 3);
        for (int i = 0; i < value.length() && i < MAX; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029' ? '?' : c);
        }
        return value.length() > MAX ? out.append("...").toString() : out.toString();
    }

    /** {@code "value"}, clipped. */
    static String quoted(String value) {
        return '"' + clip(value) + '"';
    }
}
