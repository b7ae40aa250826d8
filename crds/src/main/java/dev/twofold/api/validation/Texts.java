package dev.twofold.api.validation;

/** Untrusted values in validation messages: control characters replaced, cut at 100 characters. */
final class Texts {

    private static final int MAX = 100;

    private Texts() {
    }

    static String clip(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX) + 3);
        for (int i = 0; i < value.length() && i < MAX; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return value.length() > MAX ? out.append("...").toString() : out.toString();
    }
}
