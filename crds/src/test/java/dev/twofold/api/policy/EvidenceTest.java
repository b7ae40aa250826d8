package dev.twofold.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.policy.Missing.MalformedEvidence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Evidence#fromUserExtra}: well-formed entries are read, everything else is recorded and not trusted. */
class EvidenceTest {

  static Stream<Arguments> entries() {
    return Stream.of(
        Arguments.of("amr values one per entry", Evidence.AMR, list("pwd", "otp"), "amr=[pwd, otp]"),
        Arguments.of("an empty amr list is absent", Evidence.AMR, list(), "none"),
        Arguments.of("amr joined into one string is malformed", Evidence.AMR, list("pwd otp"),
            "malformed twofold.dev/amr: value \"pwd otp\" is not a single amr value (the claim must be mapped as a "
                + "list)"),
        Arguments.of("amr joined with a comma is malformed", Evidence.AMR, list("pwd,otp"),
            "malformed twofold.dev/amr: value \"pwd,otp\" is not a single amr value (the claim must be mapped as a "
                + "list)"),
        Arguments.of("an empty amr value is malformed", Evidence.AMR, list("pwd", ""),
            "malformed twofold.dev/amr: contains an empty value"),
        Arguments.of("one acr", Evidence.ACR, list("phr"), "acr=phr"),
        Arguments.of("two acr values are malformed", Evidence.ACR, list("phr", "phrh"),
            "malformed twofold.dev/acr: has 2 values, expected one"),
        Arguments.of("an empty acr is malformed", Evidence.ACR, list(""), "malformed twofold.dev/acr: is empty"),
        Arguments.of("auth-time in epoch seconds", Evidence.AUTH_TIME, list("1767268800"),
            "authTime=2026-01-01T12:00:00Z"),
        Arguments.of("auth-time with a fraction", Evidence.AUTH_TIME, list("1767268800.999"),
            "authTime=2026-01-01T12:00:00Z"),
        Arguments.of("auth-time in exponent notation is malformed", Evidence.AUTH_TIME, list("1.7672688e+09"),
            "malformed twofold.dev/auth-time: \"1.7672688e+09\" is not epoch seconds (a decimal integer)"),
        Arguments.of("auth-time as a date is malformed", Evidence.AUTH_TIME, list("2026-01-01T12:00:00Z"),
            "malformed twofold.dev/auth-time: \"2026-01-01T12:00:00Z\" is not epoch seconds (a decimal integer)"),
        Arguments.of("negative auth-time is malformed", Evidence.AUTH_TIME, list("-5"),
            "malformed twofold.dev/auth-time: \"-5\" is not epoch seconds (a decimal integer)"),
        Arguments.of("auth-time with a trailing dot is malformed", Evidence.AUTH_TIME, list("17."),
            "malformed twofold.dev/auth-time: \"17.\" is not epoch seconds (a decimal integer)"),
        Arguments.of("auth-time too large is malformed", Evidence.AUTH_TIME, list("9999999999999"),
            "malformed twofold.dev/auth-time: \"9999999999999\" is not epoch seconds (a decimal integer)"),
        Arguments.of("two auth-times are malformed", Evidence.AUTH_TIME, list("1", "2"),
            "malformed twofold.dev/auth-time: has 2 values, expected one"),
        Arguments.of("one issuer", Evidence.ISS, list("https://idp"), "issuer=https://idp"),
        Arguments.of("two issuers are malformed", Evidence.ISS, list("https://a", "https://b"),
            "malformed twofold.dev/iss: has 2 values, expected one"),
        Arguments.of("other keys are ignored", "authentication.kubernetes.io/pod-name", list("x"), "none"));
  }

  private static List<String> list(String... values) {
    return List.of(values);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  @DisplayName("each twofold.dev entry is parsed or recorded as malformed")
  void entries(String description, String key, List<String> values, String expected) {
    Evidence evidence = Evidence.fromUserExtra(Map.of(key, values));

    assertThat(render(evidence)).isEqualTo(expected);
  }

  private static String render(Evidence evidence) {
    List<String> parts = new ArrayList<>();
    if (!evidence.amr().isEmpty()) {
      parts.add("amr=" + evidence.amr());
    }
    evidence.acr().ifPresent(v -> parts.add("acr=" + v));
    evidence.authTime().ifPresent(v -> parts.add("authTime=" + v));
    evidence.issuer().ifPresent(v -> parts.add("issuer=" + v));
    for (MalformedEvidence m : evidence.malformed()) {
      parts.add("malformed " + m.key() + ": " + m.problem());
    }
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }

  @Test
  @DisplayName("a full set of extras is read together, malformed entries listed in key order")
  void fullSet() {
    Map<String, List<String>> extra = new HashMap<>();
    extra.put(Evidence.ISS, List.of("a", "b"));
    extra.put(Evidence.AMR, List.of("hwk"));
    extra.put(Evidence.AUTH_TIME, List.of("soon"));
    extra.put(Evidence.ACR, List.of("phrh"));

    Evidence evidence = Evidence.fromUserExtra(extra);

    assertThat(evidence.amr()).containsExactly("hwk");
    assertThat(evidence.acr()).contains("phrh");
    assertThat(evidence.authTime()).isEmpty();
    assertThat(evidence.issuer()).isEmpty();
    assertThat(evidence.malformed()).extracting(MalformedEvidence::key)
        .containsExactly(Evidence.AUTH_TIME, Evidence.ISS);
    assertThat(evidence.malformed(Evidence.ISS)).isEqualTo(new MalformedEvidence(Evidence.ISS,
        "has 2 values, expected one"));
    assertThat(evidence.malformed(Evidence.AMR)).isNull();
  }

  @Test
  @DisplayName("null or empty extras, and null values inside, never throw")
  void nothingThrows() {
    assertThat(Evidence.fromUserExtra(null)).isSameAs(Evidence.NONE);
    assertThat(Evidence.fromUserExtra(Map.of())).isSameAs(Evidence.NONE);
    Map<String, List<String>> extra = new HashMap<>();
    extra.put(Evidence.AMR, null);
    List<String> withNull = new ArrayList<>();
    withNull.add(null);
    extra.put(Evidence.ACR, withNull);
    extra.put(Evidence.AUTH_TIME, withNull);
    extra.put(Evidence.ISS, List.of());

    Evidence evidence = Evidence.fromUserExtra(extra);

    assertThat(evidence.amr()).isEmpty();
    assertThat(evidence.acr()).isEqualTo(Optional.empty());
    assertThat(evidence.malformed()).extracting(MalformedEvidence::problem).containsExactly("is empty", "is empty");
    assertThat(Evidence.parseEpochSeconds("0")).isEqualTo(Instant.EPOCH);
  }
}
