package dev.twofold.webhook.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per JWT attack, each against the production verifier (real HTTPS IdP, real key source), each asserting the
 * exact failure reason. A control test shows the same setup accepts an honest token, so none passes vacuously.
 */
class TokenAttackTest {

    static OidcFixture world;
    static TestTokens keys;

    @BeforeAll
    static void start() throws Exception {
        world = new OidcFixture();
        keys = world.keys;
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static VerificationFailure rejected(String token, String reason) {
        TokenVerification result = world.verifier.verify(token);
        assertThat(result).isInstanceOf(VerificationFailure.class);
        VerificationFailure failure = (VerificationFailure) result;
        assertThat(failure.reason()).as(failure.describe()).isEqualTo(reason);
        assertThat(failure.describe()).doesNotContain(token);
        return failure;
    }

    private static Map<String, Object> rs256(String kid) {
        return TestTokens.header("RS256", kid);
    }

    @Test
    @DisplayName("control: an honest RS256, ES256 and EdDSA token each verify")
    void honestTokensVerify() throws Exception {
        assertThat(world.verifier.verify(keys.token(keys.rsa, world.claims()))).isInstanceOf(VerifiedToken.class);
        assertThat(world.verifier.verify(keys.token(keys.ec, world.claims()))).isInstanceOf(VerifiedToken.class);
        assertThat(world.verifier.verify(keys.token(keys.ed, world.claims()))).isInstanceOf(VerifiedToken.class);
    }

    @Test
    @DisplayName("a token over 16 KiB is rejected as oversized before it is parsed")
    void oversized() throws Exception {
        Map<String, Object> claims = world.claims();
        claims.put("padding", "x".repeat(17 * 1024));
        VerificationFailure failure = rejected(keys.token(keys.rsa, claims), "oversized");
        assertThat(failure.message()).startsWith("token is ").endsWith("more than the 16384 accepted");
    }

    @Test
    @DisplayName("a token with two parts is malformed")
    void twoParts() throws Exception {
        String token = keys.token(keys.rsa, world.claims());
        rejected(token.substring(0, token.lastIndexOf('.')), "malformed");
    }

    @Test
    @DisplayName("a token with characters outside base64url is malformed")
    void notBase64Url() throws Exception {
        String token = keys.token(keys.rsa, world.claims());
        assertThat(rejected(token.replaceFirst("\\.", "+."), "malformed").message())
                .isEqualTo("the header is not base64url (unexpected character)");
    }

    @ParameterizedTest(name = "alg \"{0}\" is refused whatever its spelling")
    @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
    void algNone(String alg) throws Exception {
        String token = TestTokens.encode(Map.of("alg", alg, "typ", "JWT")) + "."
                + TestTokens.encode(world.claims()) + ".";
        assertThat(rejected(token, "algorithm_not_allowed").message())
                .isEqualTo("algorithm \"" + alg + "\" is not accepted: unsigned tokens are never accepted");
    }

    @Test
    @DisplayName("HS256 signed with the issuer's RSA public key (key confusion) is refused")
    void hmacKeyConfusion() throws Exception {
        String input = TestTokens.encode(TestTokens.header("HS256", keys.rsa.getKeyID())) + "."
                + TestTokens.encode(world.claims());
        byte[] publicKey = keys.rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        String mac = new MACSigner(java.util.Arrays.copyOf(publicKey, Math.max(32, publicKey.length)))
                .sign(new JWSHeader(JWSAlgorithm.HS256), input.getBytes(StandardCharsets.US_ASCII)).toString();
        assertThat(rejected(input + "." + mac, "algorithm_not_allowed").message())
                .isEqualTo("algorithm \"HS256\" is not accepted: shared-secret (HMAC) algorithms are never accepted");
    }

    @Test
    @DisplayName("a key embedded in the header (jwk) is never trusted, even when it signed the token")
    void embeddedJwk() throws Exception {
        TestTokens attacker = new TestTokens("attacker");
        Map<String, Object> header = rs256(keys.rsa.getKeyID());
        header.put("jwk", attacker.rsa.toPublicJWK().toJSONObject());
        rejected(attacker.sign(attacker.rsa, header, world.claims()), "header_not_allowed");
    }

    @Test
    @DisplayName("a jku header is refused and its URL never fetched")
    void jku() throws Exception {
        Map<String, Object> header = rs256("attacker-kid");
        header.put("jku", world.idp.issuer() + "/attacker-jwks");
        assertThat(rejected(keys.sign(keys.rsa, header, world.claims()), "header_not_allowed").message())
                .isEqualTo("header parameter jku is not accepted: key URLs named by a token are never fetched");
        assertThat(world.idp.hits(TestIdp.REALM + "/attacker-jwks")).isZero();
    }

    @Test
    @DisplayName("an x5u header is refused and its URL never fetched")
    void x5u() throws Exception {
        Map<String, Object> header = rs256(keys.rsa.getKeyID());
        header.put("x5u", world.idp.issuer() + "/attacker-cert");
        rejected(keys.sign(keys.rsa, header, world.claims()), "header_not_allowed");
        assertThat(world.idp.hits(TestIdp.REALM + "/attacker-cert")).isZero();
    }

    @Test
    @DisplayName("an x5c certificate chain in the header is never trusted")
    void x5c() throws Exception {
        Map<String, Object> header = rs256(keys.rsa.getKeyID());
        header.put("x5c", List.of(Base64URL.encode("not really a certificate").toString()));
        assertThat(rejected(keys.sign(keys.rsa, header, world.claims()), "header_not_allowed").message())
                .isEqualTo("header parameter x5c is not accepted: certificates embedded in a token are never trusted");
    }

    @Test
    @DisplayName("an unknown critical header extension (crit) is refused")
    void unknownCrit() throws Exception {
        Map<String, Object> header = rs256(keys.rsa.getKeyID());
        header.put("crit", List.of("exp-2fa"));
        header.put("exp-2fa", true);
        rejected(keys.sign(keys.rsa, header, world.claims()), "header_not_allowed");
    }

    @Test
    @DisplayName("a nested JWT (cty: JWT) is refused")
    void nestedJwt() throws Exception {
        String inner = keys.token(keys.rsa, world.claims());
        Map<String, Object> header = rs256(keys.rsa.getKeyID());
        header.put("cty", "JWT");
        String input = TestTokens.encode(header) + "." + TestTokens.encode(inner);
        String token = input + "." + keys.signature(keys.rsa, "RS256", input);
        assertThat(rejected(token, "header_not_allowed").message())
                .isEqualTo("header parameter cty is not accepted: nested JWTs are not accepted");
    }

    @Test
    @DisplayName("an encrypted token (JWE, five parts) is refused")
    void jwe() {
        String header = TestTokens.encode(Map.of("alg", "RSA-OAEP-256", "enc", "A256GCM"));
        String token = header + ".a2V5.aXY.Y2lwaGVydGV4dA.dGFn";
        assertThat(rejected(token, "malformed").message())
                .isEqualTo("an encrypted token (JWE, five parts) is not accepted; expected a signed JWT (three parts)");
    }

    @Test
    @DisplayName("a JWE-style header (enc) on a three-part token is refused")
    void encHeader() throws Exception {
        Map<String, Object> header = rs256(keys.rsa.getKeyID());
        header.put("enc", "A256GCM");
        rejected(keys.sign(keys.rsa, header, world.claims()), "header_not_allowed");
    }

    @Test
    @DisplayName("an unencoded payload (b64: false) is refused")
    void unencodedPayload() throws Exception {
        Map<String, Object> header = rs256(keys.rsa.getKeyID());
        header.put("b64", false);
        header.put("crit", List.of("b64"));
        rejected(keys.sign(keys.rsa, header, world.claims()), "header_not_allowed");
    }

    @Test
    @DisplayName("an empty signature is a bad signature")
    void emptySignature() throws Exception {
        String token = keys.token(keys.rsa, world.claims());
        assertThat(rejected(token.substring(0, token.lastIndexOf('.') + 1), "bad_signature").message())
                .isEqualTo("the signature is empty");
    }

    @Test
    @DisplayName("ES256 with r = s = 0 (the psychic signature, CVE-2022-21449) is a bad signature")
    void psychicSignature() throws Exception {
        String token = keys.token(keys.ec, world.claims());
        String zeros = Base64URL.encode(new byte[64]).toString();
        rejected(token.substring(0, token.lastIndexOf('.') + 1) + zeros, "bad_signature");
    }

    @Test
    @DisplayName("a token signed by another key under the issuer's kid is a bad signature")
    void foreignKeySameKid() throws Exception {
        TestTokens attacker = new TestTokens("attacker");
        rejected(attacker.sign(attacker.rsa, rs256(keys.rsa.getKeyID()), world.claims()), "bad_signature");
    }

    @Test
    @DisplayName("a modified payload no longer verifies")
    void modifiedPayload() throws Exception {
        String token = keys.token(keys.rsa, world.claims());
        String[] parts = token.split("\\.");
        Map<String, Object> claims = world.claims();
        claims.put("preferred_username", "admin");
        rejected(parts[0] + "." + TestTokens.encode(claims) + "." + parts[2], "bad_signature");
    }

    @Test
    @DisplayName("an algorithm the issuer does not allow (PS256) is refused before any key lookup")
    void algorithmNotPinned() throws Exception {
        assertThat(rejected(keys.sign(keys.rsa, TestTokens.header("PS256", keys.rsa.getKeyID()), world.claims()),
                "algorithm_not_allowed").message())
                .isEqualTo("algorithm \"PS256\" is not accepted: this issuer allows ES256, EdDSA, RS256");
    }

    @Test
    @DisplayName("an RSA key cannot verify ES256: the EC kid with an RSA signature is unknown for RS256")
    void algorithmKeyConfusion() throws Exception {
        rejected(keys.sign(keys.rsa, rs256(keys.ec.getKeyID()), world.claims()), "unknown_kid");
    }

    @Test
    @DisplayName("iat far in the future (beyond the clock skew) is not yet valid")
    void futureIat() throws Exception {
        Map<String, Object> claims = world.claims();
        claims.put("iat", world.clock.instant().plus(Duration.ofHours(1)).getEpochSecond());
        claims.put("exp", world.clock.instant().plus(Duration.ofHours(2)).getEpochSecond());
        assertThat(rejected(keys.token(keys.rsa, claims), "not_yet_valid").message()).startsWith("iat is in the future");
    }

    @Test
    @DisplayName("iat within the clock skew is accepted")
    void iatWithinSkew() throws Exception {
        Map<String, Object> claims = world.claims();
        claims.put("iat", world.clock.instant().plusSeconds(20).getEpochSecond());
        assertThat(world.verifier.verify(keys.token(keys.rsa, claims))).isInstanceOf(VerifiedToken.class);
    }

    @Test
    @DisplayName("nbf in the future is not yet valid")
    void futureNbf() throws Exception {
        Map<String, Object> claims = world.claims();
        claims.put("nbf", world.clock.instant().plus(Duration.ofMinutes(5)).getEpochSecond());
        assertThat(rejected(keys.token(keys.rsa, claims), "not_yet_valid").message()).startsWith("nbf is in the future");
    }

    @Test
    @DisplayName("an expired token (beyond the skew) is expired")
    void expired() throws Exception {
        Map<String, Object> claims = world.claims();
        claims.put("exp", world.clock.instant().minusSeconds(31).getEpochSecond());
        rejected(keys.token(keys.rsa, claims), "expired");
    }

    @Test
    @DisplayName("a token for another audience is rejected")
    void wrongAudience() throws Exception {
        Map<String, Object> claims = world.claims();
        claims.put("aud", List.of("payments", "kubectl-evil"));
        assertThat(rejected(keys.token(keys.rsa, claims), "wrong_audience").message())
                .isEqualTo("the token's audiences [\"payments\", \"kubectl-evil\"] include none accepted here");
    }

    @Test
    @DisplayName("an unknown issuer is rejected without any fetch, even with a trailing slash added")
    void unknownIssuer() throws Exception {
        int fetches = world.idp.jwksFetches();
        Map<String, Object> claims = world.claims();
        claims.put("iss", world.idp.issuer() + "/");
        rejected(keys.token(keys.rsa, claims), "wrong_issuer");
        assertThat(world.idp.jwksFetches()).isEqualTo(fetches);
    }

    @Test
    @DisplayName("a token without sub is missing a claim")
    void missingSub() throws Exception {
        Map<String, Object> claims = world.claims();
        claims.remove("sub");
        assertThat(rejected(keys.token(keys.rsa, claims), "missing_claim").message()).isEqualTo("claim sub is required");
    }

    @Test
    @DisplayName("a token without exp is missing a claim")
    void missingExp() throws Exception {
        Map<String, Object> claims = world.claims();
        claims.remove("exp");
        assertThat(rejected(keys.token(keys.rsa, claims), "missing_claim").message()).isEqualTo("claim exp is required");
    }

    @Test
    @DisplayName("a kid the issuer does not publish is unknown")
    void unknownKid() throws Exception {
        TestTokens stranger = new TestTokens("stranger");
        assertThat(rejected(stranger.token(stranger.ec, world.claims()), "unknown_kid").message())
                .isEqualTo("the issuer publishes no usable signing key with kid \"ec-stranger\"");
    }

    @Test
    @DisplayName("a typ other than JWT is refused")
    void wrongTyp() throws Exception {
        Map<String, Object> header = rs256(keys.rsa.getKeyID());
        header.put("typ", "logout+jwt");
        rejected(keys.sign(keys.rsa, header, world.claims()), "header_not_allowed");
    }
}
