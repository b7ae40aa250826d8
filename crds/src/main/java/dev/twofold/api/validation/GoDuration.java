package dev.twofold.api.validation;

import java.time.Duration;
import java.util.Optional;

/**
 * Go-style durations as written in Twofold specs: one to three {@code <digits><unit>} terms with units {@code h},
 * {@code m}, {@code s} and at most five digits each, e.g. {@code 15m}, {@code 1h30m}, {@code 90s}. This is exactly the
 * schema's pattern ({@code ^([0-9]{1,5}[hms]){1,3}$}) and a subset of what Go's {@code time.ParseDuration} and CEL's
 * {@code duration()} accept, so the API server's CEL rules and this parser agree on every value the schema admits.
 */
public final class GoDuration {

  private GoDuration() {
  }

  /** The duration, or empty when {@code text} is not in the accepted syntax. */
  public static Optional<Duration> parse(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    long seconds = 0;
    int terms = 0;
    int i = 0;
    while (i < text.length()) {
      int start = i;
      long value = 0;
      while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        value = value * 10 + (text.charAt(i) - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || digits > 5 || i == text.length() || ++terms > 3) {
        return Optional.empty();
      }
      switch (text.charAt(i)) {
        case 'h' -> seconds += value * 3600;
        case 'm' -> seconds += value * 60;
        case 's' -> seconds += value;
        default -> {
          return Optional.empty();
        }
      }
      i++;
    }
    return Optional.of(Duration.ofSeconds(seconds));
  }

  /**
   * Formats like Go's {@code Duration.String()} at second precision: {@code 15m0s} becomes {@code 15m}, and zero
   * parts are left out ({@code 1h0m5s} is {@code 1h5s}); zero is {@code 0s}. Negative durations get a leading
   * {@code -}.
   */
  public static String format(Duration duration) {
    long total = duration.getSeconds();
    if (total == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder(12);
    if (total < 0) {
      out.append('-');
      total = -total;
    }
    long hours = total / 3600;
    long minutes = (total % 3600) / 60;
    long seconds = total % 60;
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (minutes > 0) {
      out.append(minutes).append('m');
    }
    if (seconds > 0) {
      out.append(seconds).append('s');
    }
    return out.toString();
  }
}
