package dev.twofold.operator.workload.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofold.api.v1alpha1.KeyType;
import dev.twofold.operator.workload.Keys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ProofOfPossession} against kube-apiserver 1.35's rules: the proof signs the UTF-8 pod UID; Ed25519 raw,
 * ECDSA (DER) and RSA-PSS over SHA-256; RSA 3072/4096 only; proofs are made here the way the kubelet makes them.
 */
class ProofOfPossessionTest {

    static final String UID = "0b9e8a42-6a0c-4bd4-9d1c-7b8c1f1e2d3a";
    static final ProofOfPossession POP = new ProofOfPossession(new SignatureVerifier());

    /** The kubelet's generateKeyAndProof: ed25519.Sign(uid), ecdsa.SignASN1(sha256(uid)), rsa.SignPSS(sha256(uid)). */
    static byte[] proof(KeyPair keys, String uid, int pssSaltLength) {
        byte[] message = uid.getBytes(StandardCharsets.UTF_8);
        try {
            return switch (keys.getPublic().getAlgorithm()) {
                case "EC" -> sign("SHA256withECDSA", keys.getPrivate(), message, null);
                case "RSA" -> sign("RSASSA-PSS", keys.getPrivate(), message, new PSSParameterSpec("SHA-256", "MGF1",
                        MGF1ParameterSpec.SHA256, pssSaltLength, 1));
                default -> sign("Ed25519", keys.getPrivate(), message, null);
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sign(String algorithm, PrivateKey key, byte[] message, PSSParameterSpec pss)
            throws GeneralSecurityException {
        Signature signer = Signature.getInstance(algorithm);
        if (pss != null) {
            signer.setParameter(pss);
        }
        signer.initSign(key);
        signer.update(message);
        return signer.sign();
    }

    /** Go's PSSSaltLengthAuto when signing: the longest salt that fits. */
    static int maxSalt(KeyPair rsa) {
        int emLen = (((RSAPublicKey) rsa.getPublic()).getModulus().bitLength() - 1 + 7) / 8;
        return emLen - 2 - 32;
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("Ed25519", Keys.ed25519(), 0, KeyType.ED25519),
                Arguments.of("ECDSA P-256", Keys.p256(), 0, KeyType.ECDSAP256),
                Arguments.of("ECDSA P-384 (still SHA-256)", Keys.ec("secp384r1"), 0, KeyType.ECDSAP384),
                Arguments.of("RSA 3072, PSS with the longest salt (Go's SignPSS default)", Keys.rsa(3072),
                        maxSalt(Keys.rsa(3072)), KeyType.RSA3072),
                Arguments.of("RSA 3072, PSS with a hash-length salt (Go in FIPS mode)", Keys.rsa(3072), 32,
                        KeyType.RSA3072),
                Arguments.of("RSA 4096, PSS without salt", Keys.rsa(4096), 0, KeyType.RSA4096));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    @DisplayName("kubelet-made proofs verify and the key comes out classified")
    void accepts(String description, KeyPair keys, int salt, KeyType type) throws RequestRejectedException {
        VerifiedPublicKey key = POP.verify(keys.getPublic().getEncoded(), proof(keys, UID, salt), UID);

        assertThat(key.key().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
        assertThat(key.type()).isEqualTo(type);
    }

    static Stream<Arguments> rejected() throws GeneralSecurityException {
        byte[] uid = UID.getBytes(StandardCharsets.UTF_8);
        KeyPair p256 = Keys.p256();
        KeyPair rsa = Keys.rsa(3072);
        KeyPair ed = Keys.ed25519();
        KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
        dsa.initialize(2048);
        byte[] p1363 = sign("SHA256withECDSAinP1363Format", p256.getPrivate(), uid, null);
        byte[] edOverHash = sign("Ed25519", ed.getPrivate(), MessageDigest.getInstance("SHA-256").digest(uid), null);
        return Stream.of(
                Arguments.of("a proof over another pod's UID", p256.getPublic().getEncoded(),
                        proof(p256, "another-uid", 0), RequestRejectedException.Reason.BAD_SIGNATURE,
                        "spec.proofOfPossession: could not verify proof-of-possession signature"),
                Arguments.of("an ECDSA proof in raw r||s (P1363) instead of ASN.1", p256.getPublic().getEncoded(),
                        p1363, RequestRejectedException.Reason.BAD_SIGNATURE,
                        "spec.proofOfPossession: could not verify proof-of-possession signature"),
                Arguments.of("an Ed25519 proof over SHA-256(UID) instead of the UID itself",
                        ed.getPublic().getEncoded(), edOverHash, RequestRejectedException.Reason.BAD_SIGNATURE,
                        "spec.proofOfPossession: could not verify proof-of-possession signature"),
                Arguments.of("an RSA PKCS#1 v1.5 proof (the alpha API's scheme; 1.35 wants PSS)",
                        rsa.getPublic().getEncoded(), sign("SHA256withRSA", rsa.getPrivate(), uid, null),
                        RequestRejectedException.Reason.BAD_SIGNATURE,
                        "spec.proofOfPossession: could not verify proof-of-possession signature"),
                Arguments.of("an RSA 2048 key", Keys.rsa(2048).getPublic().getEncoded(), proof(Keys.rsa(2048), UID, 32),
                        RequestRejectedException.Reason.UNSUPPORTED_KEY_TYPE,
                        "spec.pkixPublicKey: RSA keys must have modulus size 3072 or 4096; got 2048"),
                Arguments.of("a P-224 key", CsrVerifierTest.p224().getPublic().getEncoded(), new byte[8],
                        RequestRejectedException.Reason.UNSUPPORTED_KEY_TYPE,
                        "spec.pkixPublicKey: elliptic public keys must use curve P256 or P384"),
                Arguments.of("a DSA key", dsa.generateKeyPair().getPublic().getEncoded(), new byte[8],
                        RequestRejectedException.Reason.UNSUPPORTED_KEY_TYPE,
                        "spec.pkixPublicKey: unknown public key type; supported types are Ed25519, ECDSA, and RSA"),
                Arguments.of("bytes that are not PKIX", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}, new byte[8],
                        RequestRejectedException.Reason.MALFORMED,
                        "spec.pkixPublicKey: must be a valid PKIX-serialized public key"),
                Arguments.of("a PKIX key with trailing bytes", append(p256.getPublic().getEncoded(), (byte) 0),
                        proof(p256, UID, 0), RequestRejectedException.Reason.MALFORMED,
                        "spec.pkixPublicKey: must be a valid PKIX-serialized public key"),
                Arguments.of("a public key over 10 KiB", new byte[10 * 1024 + 1], new byte[8],
                        RequestRejectedException.Reason.TOO_LARGE, "spec.pkixPublicKey: must have at most 10240 bytes"),
                Arguments.of("a proof over 10 KiB", p256.getPublic().getEncoded(), new byte[10 * 1024 + 1],
                        RequestRejectedException.Reason.TOO_LARGE,
                        "spec.proofOfPossession: must have at most 10240 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    @DisplayName("wrong proofs and keys kube-apiserver would refuse are refused with its wording")
    void rejects(String description, byte[] key, byte[] proof, RequestRejectedException.Reason reason, String message) {
        assertThatThrownBy(() -> POP.verify(key, proof, UID))
                .isInstanceOf(RequestRejectedException.class)
                .hasMessage(message)
                .extracting(e -> ((RequestRejectedException) e).reason()).isEqualTo(reason);
    }

    @Test
    @DisplayName("a valid P-521 proof passes kube-apiserver's rules but Twofold does not certify P-521 keys")
    void p521() {
        KeyPair keys = Keys.ec("secp521r1");

        assertThatThrownBy(() -> POP.verify(keys.getPublic().getEncoded(), proof(keys, UID, 0), UID))
                .hasMessage("ECDSA P-521 is not supported; use ECDSAP256, ECDSAP384, ED25519, RSA2048, RSA3072 or "
                        + "RSA4096")
                .extracting(e -> ((RequestRejectedException) e).reason())
                .isEqualTo(RequestRejectedException.Reason.UNSUPPORTED_KEY_TYPE);
    }

    private static byte[] append(byte[] bytes, byte extra) {
        byte[] out = Arrays.copyOf(bytes, bytes.length + 1);
        out[bytes.length] = extra;
        return out;
    }
}
