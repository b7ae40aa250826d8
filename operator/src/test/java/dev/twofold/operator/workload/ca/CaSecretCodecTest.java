package dev.twofold.operator.workload.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofold.operator.workload.Keys;
import dev.twofold.operator.workload.TestCertificates;
import dev.twofold.operator.workload.TestClock;
import dev.twofold.operator.workload.Workloads;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link CaSecretCodec}: CA state in a Secret and back, and clear errors for everything broken. */
class CaSecretCodecTest {

    static final CaFactory FACTORY = new CaFactory(new TestClock(Workloads.NOW), new SecureRandom());
    static final CertificateAuthority CURRENT = FACTORY.selfSigned("td", Duration.ofHours(8760));
    static final CertificateAuthority NEXT = FACTORY.selfSigned("td", Duration.ofHours(8760));
    static final CertificateAuthority OTHER = FACTORY.selfSigned("td", Duration.ofHours(8760));

    @Test
    @DisplayName("current, next and retired CAs survive a round trip through Secret data")
    void roundTrip() throws CaMaterialException {
        Instant keepUntil = Instant.parse("2026-04-01T00:00:00Z");
        CaState state = new CaState(CURRENT, NEXT, List.of(new RetiredCa(OTHER.chain(), keepUntil)));

        Map<String, String> data = CaSecretCodec.toSecretData(state);
        CaState read = CaSecretCodec.fromSecretData(data);

        assertThat(data).containsOnlyKeys("ca.crt", "ca.key", "next.crt", "next.key", "retired-0.crt",
                "retired-0.keep-until");
        assertThat(decode(data.get("ca.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(read.current().fingerprint()).isEqualTo(CURRENT.fingerprint());
        assertThat(read.current().privateKey().getEncoded()).isEqualTo(CURRENT.privateKey().getEncoded());
        assertThat(read.next().fingerprint()).isEqualTo(NEXT.fingerprint());
        assertThat(read.retired()).singleElement().satisfies(r -> {
            assertThat(r.certificate()).isEqualTo(OTHER.certificate());
            assertThat(r.keepUntil()).isEqualTo(keepUntil);
        });
        assertThat(read.trustBundle()).containsExactly(CURRENT.certificate(), NEXT.certificate(), OTHER.certificate());
    }

    @Test
    @DisplayName("an empty Secret is a trust domain without CAs")
    void empty() throws CaMaterialException {
        assertThat(CaSecretCodec.fromSecretData(Map.of())).isEqualTo(CaState.EMPTY);
        assertThat(CaSecretCodec.fromSecretData(null)).isEqualTo(CaState.EMPTY);
    }

    @Test
    @DisplayName("a user's root reads from tls.crt and tls.key")
    void root() throws CaMaterialException {
        Map<String, String> stored = CaSecretCodec.toSecretData(new CaState(CURRENT, null, List.of()));
        Map<String, String> data = Map.of("tls.crt", stored.get("ca.crt"), "tls.key", stored.get("ca.key"));

        assertThat(CaSecretCodec.rootFromSecretData(data).fingerprint()).isEqualTo(CURRENT.fingerprint());
    }

    static Stream<Arguments> broken() {
        Map<String, String> good = CaSecretCodec.toSecretData(new CaState(CURRENT, null, List.of()));
        String otherKey = CaSecretCodec.toSecretData(new CaState(OTHER, null, List.of())).get("ca.key");
        String pemCert = decode(good.get("ca.crt"));
        String leafPem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(
                encoded(TestCertificates.issue(CURRENT, Keys.p256().getPublic(), new X500Name("CN=leaf"),
                        Workloads.NOW, Workloads.NOW.plusSeconds(3600), BigInteger.TEN, b -> b)))
                + "\n-----END CERTIFICATE-----\n";
        String leafKey = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                Keys.p256().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        return Stream.of(
                Arguments.of("no key", with(good, "ca.key", null), CaMaterialException.Reason.MISSING,
                        "secret data \"ca.key\": missing"),
                Arguments.of("an empty certificate", with(good, "ca.crt", ""), CaMaterialException.Reason.MISSING,
                        "secret data \"ca.crt\": missing"),
                Arguments.of("not base64", with(good, "ca.crt", "%%%"), CaMaterialException.Reason.MALFORMED_ENCODING,
                        "secret data \"ca.crt\": not base64"),
                Arguments.of("not PEM", with(good, "ca.crt", encode("hello")),
                        CaMaterialException.Reason.MALFORMED_ENCODING,
                        "secret data \"ca.crt\": no PEM block (expected CERTIFICATE)"),
                Arguments.of("PEM without its END line", with(good, "ca.crt",
                        encode(pemCert.substring(0, pemCert.indexOf("-----END")))),
                        CaMaterialException.Reason.MALFORMED_ENCODING,
                        "secret data \"ca.crt\": broken PEM (-----END CERTIFICATE----- not found)"),
                Arguments.of("a key where the certificate belongs", with(good, "ca.crt", good.get("ca.key")),
                        CaMaterialException.Reason.UNSUPPORTED_PEM_TYPE,
                        "secret data \"ca.crt\": PEM block 0 is PRIVATE KEY, expected CERTIFICATE"),
                Arguments.of("a CERTIFICATE block that is not X.509", with(good, "ca.crt",
                        encode("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")),
                        CaMaterialException.Reason.MALFORMED_CERTIFICATE,
                        "secret data \"ca.crt\": PEM block 0 is not an X.509 certificate"),
                Arguments.of("an encrypted key", with(good, "ca.key",
                        encode("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n")),
                        CaMaterialException.Reason.UNSUPPORTED_PEM_TYPE, "secret data \"ca.key\": the private key is "
                        + "encrypted; store it unencrypted as PKCS#8 (openssl pkcs8 -topk8 -nocrypt)"),
                Arguments.of("a legacy SEC1 key", with(good, "ca.key",
                        encode("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n")),
                        CaMaterialException.Reason.UNSUPPORTED_PEM_TYPE, "secret data \"ca.key\": EC PRIVATE KEY is a "
                        + "legacy format; convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)"),
                Arguments.of("a PRIVATE KEY block that is not PKCS#8", with(good, "ca.key",
                        encode("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")),
                        CaMaterialException.Reason.MALFORMED_KEY,
                        "secret data \"ca.key\": the PRIVATE KEY block is not PKCS#8"),
                Arguments.of("two keys", with(good, "ca.key", encode(decode(good.get("ca.key"))
                        + decode(good.get("ca.key")))), CaMaterialException.Reason.MALFORMED_ENCODING,
                        "secret data \"ca.key\": expected exactly one PEM block (PRIVATE KEY), found 2"),
                Arguments.of("another CA's key", with(good, "ca.key", otherKey),
                        CaMaterialException.Reason.KEY_MISMATCH,
                        "secret data \"ca.key\": the private key does not belong to the certificate in ca.crt"),
                Arguments.of("a certificate that is not a CA", with(with(good, "ca.crt", encode(leafPem)), "ca.key",
                        encode(leafKey)), CaMaterialException.Reason.NOT_A_CA,
                        "secret data \"ca.crt\": the certificate is not a CA (basicConstraints cA is not true)"),
                Arguments.of("a next certificate without its key", with(good, "next.crt", good.get("ca.crt")),
                        CaMaterialException.Reason.MISSING, "secret data \"next.key\": missing"),
                Arguments.of("a retired CA without a valid time", with(with(good, "retired-0.crt", good.get("ca.crt")),
                        "retired-0.keep-until", encode("next tuesday")), CaMaterialException.Reason.MALFORMED_TIME,
                        "secret data \"retired-0.keep-until\": not an RFC 3339 time"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    @DisplayName("broken Secret data is refused with a typed reason naming the data key")
    void rejects(String description, Map<String, String> data, CaMaterialException.Reason reason, String message) {
        assertThatThrownBy(() -> CaSecretCodec.fromSecretData(data))
                .isInstanceOf(CaMaterialException.class)
                .hasMessage(message)
                .extracting(e -> ((CaMaterialException) e).reason()).isEqualTo(reason);
    }

    @Test
    @DisplayName("a user's Secret without tls.key is refused")
    void rootWithoutKey() {
        Map<String, String> data = Map.of("tls.crt", CaSecretCodec.toSecretData(new CaState(CURRENT, null, List.of()))
                .get("ca.crt"));

        assertThatThrownBy(() -> CaSecretCodec.rootFromSecretData(data)).hasMessage("secret data \"tls.key\": missing");
    }

    private static Map<String, String> with(Map<String, String> data, String key, String value) {
        Map<String, String> out = new HashMap<>(data);
        if (value == null) {
            out.remove(key);
        } else {
            out.put(key, value);
        }
        return out;
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
