package dev.twofold.webhook.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Project Wycheproof vectors (shared test data, never copied into the repository) through the same JWS core the
 * issuers use: {@link JwsStructure} + {@link SignatureCheck} (algorithm pin, {@link PinnedKeySelector}, nimbus
 * verifiers). Every invalid vector must be rejected; every valid one accepted when its key and algorithm can be
 * configured. Counts are printed for the record.
 */
class WycheproofTest {

    static final Path DIR = Path.of("../../shared/testdata/wycheproof");
    static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);
    /**
     * RFC 7520 vectors whose Wycheproof key carries an alg the JWS does not use: figure 20 is PS384 under a key
     * labelled PS256, figure 27 ES512 under a key labelled "ES521" (no such algorithm). A JWK's alg binds it.
     */
    static final Set<Integer> MISLABELLED_KEY = Set.of(346, 347, 350, 351);

    private static JsonNode read(String file) throws IOException {
        Path path = DIR.resolve(file);
        assertThat(path).as("shared Wycheproof vectors (see /work/shared/testdata/README.md)").exists();
        return new ObjectMapper().readTree(Files.readString(path));
    }

    private static SignatureCheck core(JWK key) {
        JWK published = key.isPrivate() && !"oct".equals(key.getKeyType().getValue()) ? key.toPublicJWK() : key;
        return new SignatureCheck(ASYMMETRIC, new ImmutableJWKSet<SecurityContext>(new JWKSet(published)),
                JwsVerifiers.JDK);
    }

    @Test
    @DisplayName("json_web_signature_test.json: every invalid JWS rejected, every configurable valid one accepted")
    void jsonWebSignature() throws Exception {
        JsonNode file = read("json_web_signature_test.json");
        int validAccepted = 0;
        int invalidRejected = 0;
        Map<String, Integer> validRefused = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (JsonNode group : file.get("testGroups")) {
            JsonNode keyJson = group.has("public") ? group.get("public") : group.get("private");
            JWK key = JWK.parse(keyJson.toString());
            SignatureCheck core = core(key);
            for (JsonNode test : group.get("tests")) {
                int id = test.get("tcId").asInt();
                String result = test.get("result").asText();
                VerificationFailure failure = core.check(test.get("jws").asText());
                if (result.equals("invalid")) {
                    if (failure == null) {
                        wrong.add("tcId " + id + " (" + test.get("comment").asText() + ") was accepted");
                    } else {
                        invalidRejected++;
                    }
                } else if (failure == null) {
                    validAccepted++;
                } else if ("oct".equals(key.getKeyType().getValue())) {
                    // HMAC can never be configured: refused by policy (or, for two vectors with '?' in a part, by
                    // the strict base64url check, which Wycheproof tolerates).
                    assertThat(failure.reason()).as("tcId " + id).isIn("algorithm_not_allowed", "malformed");
                    validRefused.merge("HMAC (" + failure.reason() + ")", 1, Integer::sum);
                } else if (MISLABELLED_KEY.contains(id)) {
                    assertThat(failure.reason()).as("tcId " + id).isEqualTo("unknown_kid");
                    var unlabelled = (com.fasterxml.jackson.databind.node.ObjectNode) keyJson.deepCopy();
                    unlabelled.remove("alg");
                    assertThat(core(JWK.parse(unlabelled.toString())).check(test.get("jws").asText()))
                            .as("tcId " + id + " with the key's alg dropped").isNull();
                    validRefused.merge("key alg differs from the JWS alg (accepted once the key's alg is dropped)", 1,
                            Integer::sum);
                } else {
                    wrong.add("tcId " + id + " (" + test.get("comment").asText() + ") was rejected: "
                            + failure.describe());
                }
            }
        }
        System.out.printf("Wycheproof json_web_signature_test.json: valid accepted %d, invalid rejected %d, "
                + "valid refused by design %s%n", validAccepted, invalidRejected, validRefused);
        assertThat(wrong).isEmpty();
        assertThat(invalidRejected).isEqualTo(355);
        assertThat(validAccepted).isEqualTo(32);
    }

    @ParameterizedTest(name = "ecdsa_secp256r1_sha256_p1363_test.json through the ES256 path, {0} provider")
    @ValueSource(strings = {"JDK", "BouncyCastle"})
    void es256(String providerName) throws Exception {
        Provider provider = providerName.equals("JDK") ? null : new BouncyCastleProvider();
        JwsVerifiers verifiers = new JwsVerifiers(provider);
        JsonNode file = read("ecdsa_secp256r1_sha256_p1363_test.json");
        Tally tally = run(file, "publicKeyJwk", JWSAlgorithm.ES256, verifiers);
        System.out.printf("Wycheproof ecdsa_secp256r1_sha256_p1363_test.json (%s): %s%n", providerName, tally);
        assertThat(tally.wrong).isEmpty();
        assertThat(tally.validAccepted).isEqualTo(173);
        assertThat(tally.invalidRejected).isEqualTo(89);
    }

    @Test
    @DisplayName("rsa_signature_2048_sha256_test.json through the RS256 path")
    void rs256() throws Exception {
        JsonNode file = read("rsa_signature_2048_sha256_test.json");
        Tally tally = run(file, "keyJwk", JWSAlgorithm.RS256, JwsVerifiers.JDK);
        System.out.printf("Wycheproof rsa_signature_2048_sha256_test.json: %s%n", tally);
        assertThat(tally.wrong).isEmpty();
        assertThat(tally.validAccepted).isEqualTo(9);
        assertThat(tally.invalidRejected).isEqualTo(249);
    }

    /** Raw (message, signature) vectors, fed to the same core as a JWS whose signing input is the message. */
    private static Tally run(JsonNode file, String keyField, JWSAlgorithm algorithm, JwsVerifiers verifiers)
            throws Exception {
        Tally tally = new Tally();
        HexFormat hex = HexFormat.of();
        for (JsonNode group : file.get("testGroups")) {
            JWK key = group.has(keyField) ? JWK.parse(group.get(keyField).toString()) : ecKey(group.get("publicKey"));
            SignatureCheck core = new SignatureCheck(Set.of(algorithm),
                    new ImmutableJWKSet<SecurityContext>(new JWKSet(key)), verifiers);
            JWSHeader header = new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build();
            for (JsonNode test : group.get("tests")) {
                CompactJws jws = new CompactJws(header, Base64URL.encode(new byte[0]),
                        Base64URL.encode(hex.parseHex(test.get("sig").asText())),
                        hex.parseHex(test.get("msg").asText()));
                boolean accepted;
                try {
                    core.verify(jws);
                    accepted = true;
                } catch (TokenRejected e) {
                    accepted = false;
                }
                String result = test.get("result").asText();
                int id = test.get("tcId").asInt();
                switch (result) {
                    case "valid" -> {
                        if (accepted) {
                            tally.validAccepted++;
                        } else {
                            tally.wrong.add("valid tcId " + id + " rejected");
                        }
                    }
                    case "invalid" -> {
                        if (accepted) {
                            tally.wrong.add("invalid tcId " + id + " (" + test.get("comment").asText() + ") accepted");
                        } else {
                            tally.invalidRejected++;
                        }
                    }
                    default -> tally.acceptable.add("tcId " + id + " " + test.get("flags") + " "
                            + (accepted ? "accepted" : "rejected"));
                }
            }
        }
        return tally;
    }

    /** Some ECDSA groups give the key only as hex coordinates. */
    private static JWK ecKey(JsonNode publicKey) throws Exception {
        return new com.nimbusds.jose.jwk.ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256,
                Base64URL.encode(coordinate(publicKey.get("wx").asText())),
                Base64URL.encode(coordinate(publicKey.get("wy").asText()))).keyID("none").build();
    }

    private static byte[] coordinate(String hex) {
        byte[] raw = new java.math.BigInteger(hex, 16).toByteArray();
        byte[] out = new byte[32];
        int length = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - length, out, 32 - length, length);
        return out;
    }

    private static final class Tally {
        int validAccepted;
        int invalidRejected;
        final List<String> acceptable = new ArrayList<>();
        final List<String> wrong = new ArrayList<>();

        @Override
        public String toString() {
            return "valid accepted " + validAccepted + ", invalid rejected " + invalidRejected + ", acceptable "
                    + acceptable + ", wrong " + wrong;
        }
    }
}
