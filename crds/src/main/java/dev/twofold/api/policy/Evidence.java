package dev.twofold.api.policy;

import dev.twofold.api.policy.Missing.MalformedEvidence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The authentication evidence of one request, parsed from the Kubernetes {@code user.extra} map, where the API
 * server (structured authentication {@code claimMappings.extra}) or Twofold's TokenReview authenticator put the
 * verified token claims (DESIGN §4):
 *
 * <ul>
 *   <li>{@value #AMR}: the amr values, one per entry;
 *   <li>{@value #ACR}: exactly one acr value;
 *   <li>{@value #AUTH_TIME}: exactly one entry, epoch seconds as a decimal integer (an optional fraction is
 *       ignored), e.g. {@code "1767225600"}; map it with {@code string(int(claims.auth_time))}, since CEL's
 *       {@code string(double)} yields exponent notation, which is rejected;
 *   <li>{@value #ISS}: exactly one issuer.
 * </ul>
 *
 * <p>An absent key, or one with no values, is absent evidence. A key whose values do not fit the shape above is
 * recorded in {@link #malformed()} and its value is not trusted (it reads as absent); parsing never throws.
 *
 * @param amr never {@code null}; empty when absent or malformed
 * @param acr empty when absent or malformed
 * @param authTime empty when absent or malformed
 * @param issuer empty when absent or malformed
 * @param malformed the malformed entries, in the key order above
 */
public record Evidence(List<String> amr, Optional<String> acr, Optional<Instant> authTime, Optional<String> issuer,
    List<MalformedEvidence> malformed) {

  public static final String AMR = "twofold.dev/amr";
  public static final String ACR = "twofold.dev/acr";
  public static final String AUTH_TIME = "twofold.dev/auth-time";
  public static final String ISS = "twofold.dev/iss";

  /** No evidence at all (e.g. a password-only or service-account token). */
  public static final Evidence NONE = new Evidence(List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
      List.of());

  /** Longest auth-time integer part accepted: 12 digits is well past year 30000. */
  private static final int MAX_EPOCH_DIGITS = 12;

  public Evidence {
    amr = List.copyOf(amr);
    malformed = List.copyOf(malformed);
  }

  /** Parses the {@code twofold.dev/*} entries of {@code extra} (other keys are ignored); {@code null} is none. */
  public static Evidence fromUserExtra(Map<String, List<String>> extra) {
    if (extra == null || extra.isEmpty()) {
      return NONE;
    }
    List<String> amrValues = extra.get(AMR);
    List<String> acrValues = extra.get(ACR);
    List<String> authTimeValues = extra.get(AUTH_TIME);
    List<String> issValues = extra.get(ISS);
    if (amrValues == null && acrValues == null && authTimeValues == null && issValues == null) {
      return NONE;
    }
    List<MalformedEvidence> malformed = new ArrayList<>(0);

    List<String> amr = List.of();
    if (amrValues != null && !amrValues.isEmpty()) {
      String problem = amrProblem(amrValues);
      if (problem == null) {
        amr = List.copyOf(amrValues);
      } else {
        malformed.add(new MalformedEvidence(AMR, problem));
      }
    }
    Optional<String> acr = single(ACR, acrValues, malformed);
    Optional<Instant> authTime = single(AUTH_TIME, authTimeValues, malformed).flatMap(text -> {
      Instant parsed = parseEpochSeconds(text);
      if (parsed == null) {
        malformed.add(new MalformedEvidence(AUTH_TIME, Text.quoted(text) + " is not epoch seconds (a decimal "
            + "integer)"));
      }
      return Optional.ofNullable(parsed);
    });
    Optional<String> issuer = single(ISS, issValues, malformed);
    return new Evidence(amr, acr, authTime, issuer, malformed);
  }

  /** The malformed entry for {@code key}, or {@code null} when it is well-formed or absent. */
  public MalformedEvidence malformed(String key) {
    for (MalformedEvidence entry : malformed) {
      if (entry.key().equals(key)) {
        return entry;
      }
    }
    return null;
  }

  private static String amrProblem(List<String> values) {
    for (String value : values) {
      if (value == null || value.isEmpty()) {
        return "contains an empty value";
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == ',' || Character.isWhitespace(c) || Text.isControl(c)) {
          return "value " + Text.quoted(value) + " is not a single amr value (the claim must be mapped as a list)";
        }
      }
    }
    return null;
  }

  private static Optional<String> single(String key, List<String> values, List<MalformedEvidence> malformed) {
    if (values == null || values.isEmpty()) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      malformed.add(new MalformedEvidence(key, "has " + values.size() + " values, expected one"));
      return Optional.empty();
    }
    String value = values.get(0);
    if (value == null || value.isEmpty()) {
      malformed.add(new MalformedEvidence(key, "is empty"));
      return Optional.empty();
    }
    return Optional.of(value);
  }

  /** {@code digits[.digits]}, truncated to whole seconds; {@code null} when not in that form. */
  static Instant parseEpochSeconds(String text) {
    int end = text.indexOf('.');
    int integerEnd = end < 0 ? text.length() : end;
    if (integerEnd == 0 || integerEnd > MAX_EPOCH_DIGITS) {
      return null;
    }
    long seconds = 0;
    for (int i = 0; i < integerEnd; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      seconds = seconds * 10 + (c - '0');
    }
    if (end >= 0) {
      if (end == text.length() - 1) {
        return null;
      }
      for (int i = end + 1; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c < '0' || c > '9') {
          return null;
        }
      }
    }
    return Instant.ofEpochSecond(seconds);
  }
}
