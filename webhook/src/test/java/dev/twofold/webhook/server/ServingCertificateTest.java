package dev.twofold.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.twofold.webhook.testing.TestCertificates;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServingCertificateTest {

    private static final TestCertificates.Issued EC = TestCertificates.ec("ec", Duration.ofHours(1));
    private static final TestCertificates.Issued RSA = TestCertificates.rsa("rsa", Duration.ofHours(1));
    private static final TestCertificates.Issued OTHER_EC = TestCertificates.ec("other", Duration.ofHours(1));

    static Stream<Arguments> keyForms() {
        return Stream.of(
                arguments("an ECDSA P-256 key as PKCS#8", EC, (Function<TestCertificates.Issued, String>)
                        TestCertificates.Issued::pkcs8Pem, "EC"),
                arguments("an ECDSA P-256 key as SEC1 (EC PRIVATE KEY)", EC,
                        (Function<TestCertificates.Issued, String>) TestCertificates.Issued::legacyPem, "EC"),
                arguments("an RSA key as PKCS#8", RSA, (Function<TestCertificates.Issued, String>)
                        TestCertificates.Issued::pkcs8Pem, "RSA"),
                arguments("an RSA key as PKCS#1 (RSA PRIVATE KEY)", RSA,
                        (Function<TestCertificates.Issued, String>) TestCertificates.Issued::legacyPem, "RSA"),
                arguments("a key after an EC PARAMETERS block, as openssl ecparam -genkey writes it", EC,
                        (Function<TestCertificates.Issued, String>) issued -> TestCertificates.pem("EC PARAMETERS",
                                new byte[] {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07})
                                + issued.legacyPem(), "EC"));
    }

    @ParameterizedTest(name = "reads {0}")
    @MethodSource("keyForms")
    void readsEveryKeyForm(String name, TestCertificates.Issued issued, Function<TestCertificates.Issued, String> key,
            String keyType) throws Exception {
        ServingCertificate certificate = ServingCertificate.fromPem(issued.certificatePem(), key.apply(issued));

        assertThat(certificate.keyType()).isEqualTo(keyType);
        assertThat(certificate.leaf()).isEqualTo(issued.certificate());
        assertThat(certificate.notAfter()).isEqualTo(issued.certificate().getNotAfter().toInstant());
    }

    @Test
    void keepsTheWholeChainLeafFirst() throws Exception {
        ServingCertificate certificate = ServingCertificate.fromPem(EC.certificatePem() + OTHER_EC.certificatePem(),
                EC.pkcs8Pem());

        assertThat(certificate.chain()).containsExactly(EC.certificate(), OTHER_EC.certificate());
    }

    static Stream<Arguments> unusable() {
        return Stream.of(
                arguments("a missing tls.crt", null, EC.pkcs8Pem(), "tls.crt is missing or empty"),
                arguments("a missing tls.key", EC.certificatePem(), "", "tls.key is missing or empty"),
                arguments("a tls.crt that is not PEM", "MIIB...", EC.pkcs8Pem(),
                        "tls.crt is not PEM (no -----BEGIN ...----- block)"),
                arguments("a tls.crt with only a key", EC.pkcs8Pem(), EC.pkcs8Pem(),
                        "tls.crt contains no CERTIFICATE block"),
                arguments("a tls.key with only a certificate", EC.certificatePem(), EC.certificatePem(),
                        "tls.key contains no PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block"),
                arguments("an encrypted key", EC.certificatePem(), TestCertificates.pem("ENCRYPTED PRIVATE KEY",
                        new byte[] {0x30, 0x00}), "tls.key is encrypted; the webhook needs an unencrypted key"),
                arguments("a SEC1 key that does not name its curve", EC.certificatePem(),
                        TestCertificates.sec1WithoutCurve(EC), "tls.key: EC PRIVATE KEY does not name its curve; "
                                + "write it with its parameters (e.g. openssl ec -param_out) or as PKCS#8"),
                arguments("a truncated key", EC.certificatePem(), TestCertificates.pem("EC PRIVATE KEY",
                        new byte[] {0x30, 0x7f, 0x02}), "tls.key is not valid DER (truncated or malformed)"),
                arguments("the key of another certificate", EC.certificatePem(), OTHER_EC.pkcs8Pem(),
                        "tls.key does not match the first certificate in tls.crt"),
                arguments("an RSA key for an EC certificate", EC.certificatePem(), RSA.pkcs8Pem(),
                        "tls.key is an RSA key but the certificate in tls.crt has an EC public key"));
    }

    @ParameterizedTest(name = "rejects {0}")
    @MethodSource("unusable")
    void rejectsUnusablePairs(String name, String certificatePem, String keyPem, String message) {
        assertThatThrownBy(() -> ServingCertificate.fromPem(certificatePem, keyPem))
                .isInstanceOf(InvalidCertificate.class)
                .hasMessage(message);
    }
}
