package dev.twofold.operator.workload.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Project Wycheproof vectors through the signature checks CsrVerifier and ProofOfPossession use: every {@code valid}
 * signature accepted, every {@code invalid} one rejected. Read from the shared test data (outside the repository),
 * found by walking up from the working directory; {@code -Dtwofold.wycheproof.dir=...} overrides.
 */
class WycheproofTest {

    static final SignatureVerifier VERIFIER = new SignatureVerifier();
    static final HexFormat HEX = HexFormat.of();

    static Path vectors(String file) {
        String override = System.getProperty("twofold.wycheproof.dir");
        if (override != null) {
            return Path.of(override, file);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/testdata/wycheproof").resolve(file);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Wycheproof vectors not found: no shared/testdata/wycheproof/" + file
                + " above " + Path.of("").toAbsolutePath() + " (set -Dtwofold.wycheproof.dir)");
    }

    /** One vector's outcome. */
    record Outcome(int tcId, String comment, String expected, boolean accepted) {
        boolean agrees() {
            return accepted == expected.equals("valid");
        }
    }

    interface Check {
        boolean verify(PublicKey key, JsonNode group, byte[] message, byte[] signature);
    }

    static List<Outcome> run(String file, String keyAlgorithm, Check check) throws IOException,
            GeneralSecurityException {
        JsonNode root = new ObjectMapper().readTree(vectors(file).toFile());
        List<Outcome> outcomes = new ArrayList<>();
        for (JsonNode group : root.get("testGroups")) {
            PublicKey key = KeyFactory.getInstance(keyAlgorithm)
                    .generatePublic(new X509EncodedKeySpec(HEX.parseHex(group.get("publicKeyDer").asText())));
            for (JsonNode test : group.get("tests")) {
                boolean accepted = check.verify(key, group, HEX.parseHex(test.get("msg").asText()),
                        HEX.parseHex(test.get("sig").asText()));
                outcomes.add(new Outcome(test.get("tcId").asInt(), test.get("comment").asText(),
                        test.get("result").asText(), accepted));
            }
        }
        assertThat(outcomes).as("vectors in " + file).hasSize(root.get("numberOfTests").asInt());
        return outcomes;
    }

    @Test
    @DisplayName("ECDSA P-256 SHA-256 (DER, as in PKCS#10 and PodCertificateRequest proofs): 484 vectors")
    void ecdsaP256() throws Exception {
        List<Outcome> outcomes = run("ecdsa_secp256r1_sha256_test.json", "EC",
                (key, group, message, signature) -> VERIFIER.verify(key, SignatureScheme.ECDSA_SHA256, message,
                        signature));

        assertThat(outcomes).filteredOn(o -> !o.agrees()).isEmpty();
        assertThat(outcomes).filteredOn(o -> o.expected().equals("valid")).hasSize(174);
        assertThat(outcomes).filteredOn(o -> o.expected().equals("invalid")).hasSize(310);
    }

    @Test
    @DisplayName("Ed25519 (pure, as in PodCertificateRequest proofs): 151 vectors")
    void ed25519() throws Exception {
        List<Outcome> outcomes = run("ed25519_test.json", "Ed25519",
                (key, group, message, signature) -> VERIFIER.verify(key, SignatureScheme.ED25519, message, signature));

        assertThat(outcomes).filteredOn(o -> !o.agrees()).isEmpty();
    }

    @Test
    @DisplayName("RSASSA-PSS SHA-256 MGF1 salt 32 through our EMSA-PSS-VERIFY, with the group's salt length")
    void rsaPssExactSalt() throws Exception {
        List<Outcome> outcomes = run("rsa_pss_2048_sha256_mgf1_32_test.json", "RSA",
                (key, group, message, signature) -> RsaPss.verify((RSAPublicKey) key, "SHA-256", message, signature,
                        group.get("sLen").asInt()));

        assertThat(outcomes).filteredOn(o -> !o.agrees()).isEmpty();
    }

    @Test
    @DisplayName("RSASSA-PSS with the salt length detected (the proof-of-possession mode) accepts every valid vector")
    void rsaPssAutoSalt() throws Exception {
        List<Outcome> outcomes = run("rsa_pss_2048_sha256_mgf1_32_test.json", "RSA",
                (key, group, message, signature) -> VERIFIER.verify(key, SignatureScheme.RSA_PSS_SHA256_ANY_SALT,
                        message, signature));

        // Detection accepts any salt length, as Go's rsa.VerifyPSS(..., nil) does; every other invalid vector fails.
        assertThat(outcomes).filteredOn(o -> o.expected().equals("valid")).allMatch(Outcome::accepted);
        assertThat(outcomes).filteredOn(o -> !o.agrees()).extracting(Outcome::comment)
                .isNotEmpty()
                .allMatch(comment -> comment.startsWith("s_len changed"), "only salt-length vectors differ");
    }
}
