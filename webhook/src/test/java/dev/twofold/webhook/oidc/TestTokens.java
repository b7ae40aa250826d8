package dev.twofold.webhook.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signing keys generated per test run (RSA 2048, EC P-256, Ed25519) and a token writer that signs exactly the header
 * and claims it is given, so tests can forge every header an attacker could send.
 */
public final class TestTokens {

    public final RSAKey rsa;
    public final ECKey ec;
    public final OctetKeyPair ed;
    private final PrivateKey edPrivate;

    TestTokens(String suffix) throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-" + suffix).keyUse(KeyUse.SIGNATURE).generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-" + suffix).keyUse(KeyUse.SIGNATURE).generate();
        KeyPair edKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = edKeys.getPublic().getEncoded();
        ed = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32,
                spki.length))).keyID("ed-" + suffix).keyUse(KeyUse.SIGNATURE).build();
        edPrivate = edKeys.getPrivate();
    }

    /** The public halves, as an IdP publishes them. */
    JWK[] publicKeys() {
        return new JWK[] {rsa.toPublicJWK(), ec.toPublicJWK(), ed.toPublicJWK()};
    }

    /** Claims of a fresh password+OTP login at {@code now}, valid for 10 minutes. */
    static Map<String, Object> claims(String issuer, Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", "f3b2c1d0-user-alice");
        claims.put("aud", "kubectl");
        claims.put("exp", now.plusSeconds(600).getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        claims.put("auth_time", now.minusSeconds(60).getEpochSecond());
        claims.put("preferred_username", "alice");
        claims.put("groups", List.of("platform-admins", "developers"));
        claims.put("amr", List.of("pwd", "otp"));
        claims.put("acr", "phr");
        return claims;
    }

    /** A JWT header {@code {alg, kid, typ: JWT}}. */
    static Map<String, Object> header(String alg, String kid) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg);
        if (kid != null) {
            header.put("kid", kid);
        }
        header.put("typ", "JWT");
        return header;
    }

    /** Signed with {@code key}'s algorithm family: RS256 for RSA, ES256 for EC, EdDSA for Ed25519. */
    public String token(JWK key, Map<String, Object> claims) throws Exception {
        String alg = key instanceof RSAKey ? "RS256" : key instanceof ECKey ? "ES256" : "EdDSA";
        return sign(key, header(alg, key.getKeyID()), claims);
    }

    /** {@code header.claims} signed with {@code key} under the header's alg, whatever the header says. */
    String sign(JWK key, Map<String, Object> header, Map<String, Object> claims) throws Exception {
        String signingInput = encode(header) + "." + encode(claims);
        return signingInput + "." + signature(key, (String) header.get("alg"), signingInput);
    }

    /** The base64url signature of {@code signingInput}. */
    String signature(JWK key, String alg, String signingInput) throws Exception {
        byte[] input = signingInput.getBytes(StandardCharsets.US_ASCII);
        if (key instanceof OctetKeyPair) {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(edPrivate);
            signer.update(input);
            return Base64URL.encode(signer.sign()).toString();
        }
        JWSSigner signer = key instanceof RSAKey rsaKey ? new RSASSASigner(rsaKey) : new ECDSASigner((ECKey) key);
        return signer.sign(new JWSHeader(JWSAlgorithm.parse(alg)), input).toString();
    }

    static String encode(Map<String, Object> json) {
        return Base64URL.encode(JSONObjectUtils.toJSONString(json).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String encode(String text) {
        return Base64URL.encode(text.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
