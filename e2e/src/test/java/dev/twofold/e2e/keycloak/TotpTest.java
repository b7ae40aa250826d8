package dev.twofold.e2e.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TotpTest {
    private static final byte[] SHA1_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA256_KEY = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA512_KEY = ("1234567890".repeat(6) + "1234").getBytes(StandardCharsets.US_ASCII);

    /** RFC 6238 appendix B: 8 digits, 30 s steps, one key per algorithm. */
    static Stream<Arguments> rfc6238Vectors() {
        return Stream.of(
                Arguments.of(59L, "94287082", "46119246", "90693936"),
                Arguments.of(1111111109L, "07081804", "68084774", "25091201"),
                Arguments.of(1111111111L, "14050471", "67062674", "99943326"),
                Arguments.of(1234567890L, "89005924", "91819424", "93441116"),
                Arguments.of(2000000000L, "69279037", "90698825", "38618901"),
                Arguments.of(20000000000L, "65353130", "77737706", "47863826"));
    }

    @ParameterizedTest(name = "at {0} s the codes are {1} (SHA-1), {2} (SHA-256), {3} (SHA-512)")
    @MethodSource("rfc6238Vectors")
    void matches_the_rfc_6238_test_vectors(long epochSecond, String sha1, String sha256, String sha512) {
        Instant time = Instant.ofEpochSecond(epochSecond);
        assertThat(new Totp(SHA1_KEY, "HmacSHA1", 8, Duration.ofSeconds(30)).codeAt(time)).isEqualTo(sha1);
        assertThat(new Totp(SHA256_KEY, "HmacSHA256", 8, Duration.ofSeconds(30)).codeAt(time)).isEqualTo(sha256);
        assertThat(new Totp(SHA512_KEY, "HmacSHA512", 8, Duration.ofSeconds(30)).codeAt(time)).isEqualTo(sha512);
    }

    @Test
    void six_digit_codes_match_the_rfc_4226_hotp_vectors_and_keep_leading_zeros() {
        Totp hotp = new Totp(SHA1_KEY, "HmacSHA1", 6, Duration.ofSeconds(30));
        String[] expected = {"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"};
        for (int counter = 0; counter < expected.length; counter++) {
            assertThat(hotp.codeForCounter(counter)).as("counter %d", counter).isEqualTo(expected[counter]);
        }
    }

    @Test
    void a_keycloak_secret_is_used_as_its_utf8_bytes_with_six_digits_and_30_second_steps() {
        // expected values from an independent HMAC-SHA1 implementation (Python's hmac) over the raw secret bytes
        Totp totp = Totp.forKeycloakSecret("alice-totp-secret-twofold");
        assertThat(totp.codeAt(Instant.ofEpochSecond(1_700_000_009))).isEqualTo("904545");
        assertThat(totp.codeAt(Instant.ofEpochSecond(1_700_000_010))).isEqualTo("441896");
        assertThat(totp.period()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void the_key_never_appears_in_its_string_form() {
        assertThat(Totp.forKeycloakSecret("alice-totp-secret-twofold").toString())
                .isEqualTo("Totp[HmacSHA1, 6 digits, 30s, key 25 bytes]");
    }

    @Test
    void an_unknown_algorithm_is_refused_at_construction() {
        assertThatThrownBy(() -> new Totp(SHA1_KEY, "HmacMD17", 6, Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot compute HmacMD17 TOTP codes: ");
    }
}
