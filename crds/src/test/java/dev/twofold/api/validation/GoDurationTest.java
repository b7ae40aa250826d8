package dev.twofold.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoDurationTest {

  @ParameterizedTest(name = "\"{0}\" parses to {1} seconds")
  @CsvSource(delimiter = '|', textBlock = """
      15m      | 900
      1h       | 3600
      90s      | 90
      1h30m    | 5400
      1h30m15s | 5415
      0s       | 0
      24h      | 86400
      99999h   | 359996400
      1m1m     | 120
      """)
  @DisplayName("the schema's duration syntax parses")
  void parses(String text, long seconds) {
    assertThat(GoDuration.parse(text)).contains(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      null
      ''
      15
      m
      1.5h
      1d
      15 m
      -15m
      100000h
      1h2m3s4s
      15M
      1h30
      """)
  @DisplayName("anything else is rejected")
  void rejects(String text) {
    assertThat(GoDuration.parse(text)).isEmpty();
  }

  @ParameterizedTest(name = "{0} seconds format as {1}")
  @CsvSource(delimiter = '|', textBlock = """
      0     | 0s
      1     | 1s
      60    | 1m
      900   | 15m
      3600  | 1h
      3605  | 1h5s
      5415  | 1h30m15s
      90061 | 25h1m1s
      -61   | -1m1s
      """)
  @DisplayName("durations format like Go, at second precision")
  void formats(long seconds, String text) {
    assertThat(GoDuration.format(Duration.ofSeconds(seconds))).isEqualTo(text);
  }
}
