package dev.twofold.webhook.server;

/** Untrusted values (paths, headers, user names) rendered into one-line messages: no control characters, bounded. */
public final class OneLine {

    static final int MAX_LENGTH = 128;

    private OneLine() {
    }

    /** {@code "value"}, {@link #clean cleaned}; {@code none} for null. */
    public static String quote(String value) {
        return value == null ? "none" : '"' + clean(value) + '"';
    }

    /** {@code value} with control and line-separator characters as {@code ?}, cut at 128 characters. */
    public static String clean(String value) {
        if (value == null) {
            return "";
        }
        int end = Math.min(value.length(), MAX_LENGTH);
        StringBuilder out = new StringBuilder(end + 3);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            out.append(isControl(c) ? '?' : c);
        }
        if (value.length() > MAX_LENGTH) {
            out.append("...");
        }
        return out.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029';
    }
}
