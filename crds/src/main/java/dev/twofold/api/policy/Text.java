package dev.twofold.api.policy;

import java.util.List;

/** Rendering of untrusted values into one-line messages: no control characters, bounded length. */
final class Text {

  static final int MAX_VALUE_LENGTH = 128;
  static final int MAX_LIST_ITEMS = 16;

  private Text() {
  }

  /** {@code value} with control and line-separator characters replaced by {@code ?}, cut at {@code max} chars. */
  static String oneLine(String value, int max) {
    if (value == null) {
      return "";
    }
    boolean clean = value.length() <= max;
    for (int i = 0; clean && i < value.length(); i++) {
      clean = !isControl(value.charAt(i));
    }
    if (clean) {
      return value;
    }
    int end = Math.min(value.length(), max);
    StringBuilder out = new StringBuilder(end + 3);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      out.append(isControl(c) ? '?' : c);
    }
    if (value.length() > max) {
      out.append("...");
    }
    return out.toString();
  }

  static String oneLine(String value) {
    return oneLine(value, MAX_VALUE_LENGTH);
  }

  /** {@code "value"}, sanitized. */
  static String quoted(String value) {
    return '"' + oneLine(value) + '"';
  }

  /** {@code [a, b]}, each value sanitized, at most {@link #MAX_LIST_ITEMS} shown. */
  static String list(List<String> values) {
    StringBuilder out = new StringBuilder().append('[');
    appendList(out, values);
    return out.append(']').toString();
  }

  /** {@code [[a, b], [c]]}. */
  static String sets(List<List<String>> sets) {
    StringBuilder out = new StringBuilder().append('[');
    for (int i = 0; i < sets.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      out.append('[');
      appendList(out, sets.get(i));
      out.append(']');
    }
    return out.append(']').toString();
  }

  private static void appendList(StringBuilder out, List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      if (i == MAX_LIST_ITEMS) {
        out.append(", ... (").append(values.size() - MAX_LIST_ITEMS).append(" more)");
        break;
      }
      if (i > 0) {
        out.append(", ");
      }
      out.append(oneLine(values.get(i)));
    }
  }

  static boolean isControl(char c) {
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029';
  }
}
