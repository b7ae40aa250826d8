package dev.twofold.operator.workload.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofold.api.v1alpha1.KeyType;
import dev.twofold.operator.workload.Csrs;
import dev.twofold.operator.workload.Keys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link CsrVerifier}: only the verified public key comes out; everything malformed is refused with a reason. */
class CsrVerifierTest {

    static final CsrVerifier VERIFIER = new CsrVerifier(new SignatureVerifier());

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("ECDSA P-256, SHA-256", (Supplier<KeyPair>) Keys::p256, "SHA256withECDSA",
                        KeyType.ECDSAP256),
                Arguments.of("ECDSA P-384, SHA-384", (Supplier<KeyPair>) () -> Keys.ec("secp384r1"), "SHA384withECDSA",
                        KeyType.ECDSAP384),
                Arguments.of("ECDSA P-256, SHA-512", (Supplier<KeyPair>) Keys::p256, "SHA512withECDSA",
                        KeyType.ECDSAP256),
                Arguments.of("Ed25519", (Supplier<KeyPair>) Keys::ed25519, "Ed25519", KeyType.ED25519),
                Arguments.of("RSA 2048", (Supplier<KeyPair>) () -> Keys.rsa(2048), "SHA256withRSA", KeyType.RSA2048),
                Arguments.of("RSA 3072", (Supplier<KeyPair>) () -> Keys.rsa(3072), "SHA384withRSA", KeyType.RSA3072),
                Arguments.of("RSA 4096", (Supplier<KeyPair>) () -> Keys.rsa(4096), "SHA256withRSA", KeyType.RSA4096));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    @DisplayName("supported keys come out of DER and PEM requests, classified")
    void accepts(String description, Supplier<KeyPair> keys, String algorithm, KeyType type)
            throws RequestRejectedException {
        byte[] der = Csrs.der(keys.get(), algorithm);

        VerifiedPublicKey fromDer = VERIFIER.verify(der);
        VerifiedPublicKey fromPem = VERIFIER.verify(Csrs.toPem(der));

        assertThat(fromDer.key().getEncoded()).isEqualTo(keys.get().getPublic().getEncoded());
        assertThat(fromDer.type()).isEqualTo(type);
        assertThat(fromPem).isEqualTo(fromDer);
    }

    @Test
    @DisplayName("a greedy request (SANs, CA:true, challenge password) still only yields its key")
    void greedy() throws RequestRejectedException {
        VerifiedPublicKey key = VERIFIER.verify(Csrs.greedy(Keys.p256()));

        assertThat(key).isEqualTo(new VerifiedPublicKey(Keys.p256().getPublic(), KeyType.ECDSAP256));
    }

    @Test
    @DisplayName("the SPIFFE IDs a request asks for are read (to be compared, never copied); other URIs are not")
    void requestedSpiffeIds() throws RequestRejectedException {
        VerifiedPublicKey key = VERIFIER.verify(Csrs.askingFor(Keys.p256(),
                "spiffe://prod.example.com/ns/kube-system/sa/admin"));

        assertThat(key.requestedSpiffeIds()).containsExactly("spiffe://prod.example.com/ns/kube-system/sa/admin");
    }

    static Stream<Arguments> rejected() {
        byte[] good = Csrs.der(Keys.p256(), "SHA256withECDSA");
        String pem = new String(Csrs.toPem(good), StandardCharsets.US_ASCII);
        byte[] badSignature = good.clone();
        badSignature[badSignature.length - 3] ^= 0x01;
        byte[] tamperedSubject = good.clone();
        int cn = indexOf(good, "workload".getBytes(StandardCharsets.US_ASCII));
        tamperedSubject[cn] = 'W';
        byte[] trailing = Arrays.copyOf(good, good.length + 2);
        byte[] truncated = Arrays.copyOf(good, good.length - 10);
        byte[] longFormLength = longFormOuterLength(good);
        return Stream.of(
                Arguments.of("an empty request", new byte[0], RequestRejectedException.Reason.MALFORMED,
                        "the request is empty"),
                Arguments.of("text that is not PEM", "hello".getBytes(StandardCharsets.US_ASCII),
                        RequestRejectedException.Reason.MALFORMED,
                        "not a DER PKCS#10 request (outer SEQUENCE)"),
                Arguments.of("a PEM certificate instead of a request", pem.replace("CERTIFICATE REQUEST", "CERTIFICATE")
                        .getBytes(StandardCharsets.US_ASCII), RequestRejectedException.Reason.MALFORMED,
                        "expected exactly one PEM block of type CERTIFICATE REQUEST"),
                Arguments.of("two PEM requests", (pem + pem).getBytes(StandardCharsets.US_ASCII),
                        RequestRejectedException.Reason.MALFORMED,
                        "expected exactly one PEM block of type CERTIFICATE REQUEST"),
                Arguments.of("PEM with text before it", ("hello\n" + pem).getBytes(StandardCharsets.US_ASCII),
                        RequestRejectedException.Reason.MALFORMED, "not a DER PKCS#10 request (outer SEQUENCE)"),
                Arguments.of("PEM with broken base64", pem.replaceFirst("\n[A-Za-z0-9+/]", "\n*")
                        .getBytes(StandardCharsets.US_ASCII), RequestRejectedException.Reason.MALFORMED,
                        "the PEM block is not valid base64"),
                Arguments.of("PEM with headers", pem.replaceFirst("-----\n", "-----\nProc-Type: 4,ENCRYPTED\n\n")
                        .getBytes(StandardCharsets.US_ASCII), RequestRejectedException.Reason.MALFORMED,
                        "the PEM block has headers"),
                Arguments.of("truncated DER", truncated, RequestRejectedException.Reason.MALFORMED,
                        "not a DER PKCS#10 request (outer SEQUENCE)"),
                Arguments.of("DER with trailing bytes", trailing, RequestRejectedException.Reason.MALFORMED,
                        "not a DER PKCS#10 request (outer SEQUENCE)"),
                Arguments.of("BER: a long-form length where DER needs the short form", longFormLength,
                        RequestRejectedException.Reason.MALFORMED, "not a DER PKCS#10 request (outer SEQUENCE)"),
                Arguments.of("a flipped signature bit", badSignature, RequestRejectedException.Reason.BAD_SIGNATURE,
                        "the request's signature does not verify with its public key"),
                Arguments.of("a subject changed after signing", tamperedSubject,
                        RequestRejectedException.Reason.BAD_SIGNATURE,
                        "the request's signature does not verify with its public key"),
                Arguments.of("a SHA-1 signature", Csrs.der(Keys.p256(), "SHA1withECDSA"),
                        RequestRejectedException.Reason.UNSUPPORTED_SIGNATURE_ALGORITHM, "signature algorithm "
                        + "1.2.840.10045.4.1 is not supported (use ECDSA or RSA with SHA-256/384/512, or Ed25519)"),
                Arguments.of("an ECDSA P-521 key", Csrs.der(Keys.ec("secp521r1"), "SHA512withECDSA"),
                        RequestRejectedException.Reason.UNSUPPORTED_KEY_TYPE, "ECDSA P-521 is not supported; use "
                        + "ECDSAP256, ECDSAP384, ED25519, RSA2048, RSA3072 or RSA4096"),
                Arguments.of("an RSA 1024 key", Csrs.der(Keys.rsa(1024), "SHA256withRSA"),
                        RequestRejectedException.Reason.UNSUPPORTED_KEY_TYPE, "RSA keys must have modulus size 2048, "
                        + "3072 or 4096; got 1024; use ECDSAP256, ECDSAP384, ED25519, RSA2048, RSA3072 or RSA4096"),
                Arguments.of("an Ed448 key", Csrs.der(ed448(), "Ed448", new BouncyCastleProvider()),
                        RequestRejectedException.Reason.UNSUPPORTED_SIGNATURE_ALGORITHM, "signature algorithm "
                        + "1.3.101.113 is not supported (use ECDSA or RSA with SHA-256/384/512, or Ed25519)"),
                Arguments.of("a P-224 key (the JDK parses it but cannot verify with it)",
                        Csrs.der(p224(), "SHA256withECDSA", new BouncyCastleProvider()),
                        RequestRejectedException.Reason.UNSUPPORTED_KEY_TYPE, "this elliptic curve is not supported; "
                        + "use ECDSAP256, ECDSAP384, ED25519, RSA2048, RSA3072 or RSA4096"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    @DisplayName("malformed, badly signed and unsupported requests are refused with a typed reason")
    void rejects(String description, byte[] request, RequestRejectedException.Reason reason, String message) {
        assertThatThrownBy(() -> VERIFIER.verify(request))
                .isInstanceOf(RequestRejectedException.class)
                .hasMessage(message)
                .extracting(e -> ((RequestRejectedException) e).reason()).isEqualTo(reason);
    }

    @Test
    @DisplayName("requests over the size limit are refused before parsing")
    void oversized() {
        byte[] huge = new byte[CsrVerifier.DEFAULT_MAX_BYTES + 1];
        Arrays.fill(huge, (byte) 'A');

        assertThatThrownBy(() -> VERIFIER.verify(huge))
                .hasMessage("the request is 16385 bytes; at most 16384 are accepted")
                .extracting(e -> ((RequestRejectedException) e).reason())
                .isEqualTo(RequestRejectedException.Reason.TOO_LARGE);
        assertThatThrownBy(() -> new CsrVerifier(new SignatureVerifier(), 100).verify(Csrs.pem(Keys.rsa(2048))))
                .hasMessageEndingWith("at most 100 are accepted");
    }

    static KeyPair ed448() {
        try {
            return KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair p224() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
            generator.initialize(new ECGenParameterSpec("secp224r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }

    /** The same request with its outer length re-encoded in a longer form (valid BER, not DER). */
    static byte[] longFormOuterLength(byte[] der) {
        int first = der[1] & 0xff;
        int octets = first < 0x80 ? 0 : first & 0x7f;
        int length = 0;
        for (int i = 0; i < octets; i++) {
            length = (length << 8) | (der[2 + i] & 0xff);
        }
        if (octets == 0) {
            length = first;
        }
        byte[] out = new byte[der.length - (2 + octets) + 5];
        out[0] = 0x30;
        out[1] = (byte) 0x83;
        out[2] = (byte) (length >>> 16);
        out[3] = (byte) (length >>> 8);
        out[4] = (byte) length;
        System.arraycopy(der, 2 + octets, out, 5, der.length - (2 + octets));
        return out;
    }
}
