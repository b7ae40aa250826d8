package dev.twofold.e2e.keycloak;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 time-based one-time passwords (RFC 4226 HOTP over a time counter), the codes an authenticator app would
 * show. Hand-written: it is a dozen lines, and the harness wants no OTP library.
 */
public final class Totp {
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private final byte[] key;
    private final String algorithm;
    private final int digits;
    private final Duration period;

    /** {@code algorithm} is a JCA Mac name ({@code HmacSHA1}, {@code HmacSHA256}, {@code HmacSHA512}). */
    public Totp(byte[] key, String algorithm, int digits, Duration period) {
        if (digits < 1 || digits >= POWERS_OF_TEN.length) throw new IllegalArgumentException("digits must be 1..8: " + digits);
        if (period.toSeconds() < 1) throw new IllegalArgumentException("period must be at least a second: " + period);
        this.key = key.clone();
        this.algorithm = algorithm;
        this.digits = digits;
        this.period = period;
        mac(); // fail now, not at the first code, if the JDK lacks the algorithm
    }

    /**
     * The codes Keycloak accepts for an imported OTP credential under its default policy: the key is the UTF-8 bytes
     * of the credential's {@code secretData.value} (not Base32-decoded), HmacSHA1, 6 digits, 30 seconds.
     */
    public static Totp forKeycloakSecret(String secret) {
        return new Totp(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1", 6, Duration.ofSeconds(30));
    }

    /** The code for the time step that contains {@code time}. */
    public String codeAt(Instant time) {
        return codeForCounter(Math.floorDiv(time.getEpochSecond(), period.toSeconds()));
    }

    /** RFC 4226: HMAC over the big-endian counter, dynamic truncation, the low {@code digits} decimal digits. */
    public String codeForCounter(long counter) {
        byte[] hash = mac().doFinal(ByteBuffer.allocate(Long.BYTES).putLong(counter).array());
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24)
                | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8)
                | (hash[offset + 3] & 0xff);
        String code = Integer.toString(binary % POWERS_OF_TEN[digits]);
        return "0".repeat(digits - code.length()) + code;
    }

    public Duration period() { return period; }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot compute " + algorithm + " TOTP codes: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        // never the key: these objects end up in test failure messages
        return "Totp[" + algorithm + ", " + digits + " digits, " + period.toSeconds() + "s, key " + key.length + " bytes]";
    }
}
