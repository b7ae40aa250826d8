package dev.twofold.webhook.oidc;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.twofold.webhook.oidc.VerificationFailure.AlgorithmNotAllowed;
import dev.twofold.webhook.oidc.VerificationFailure.HeaderNotAllowed;
import dev.twofold.webhook.oidc.VerificationFailure.Malformed;
import dev.twofold.webhook.oidc.VerificationFailure.Oversized;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * The checks every token passes before any key is looked up or any signature computed: size, exactly three canonical
 * base64url parts, a JSON header, and a header policy that holds for every issuer. What an attacker controls in the
 * header never selects a key source, a URL or a verifier type beyond the issuer's pinned algorithms.
 *
 * <p>The header policy refuses: {@code alg: none} in any spelling and HMAC ({@code HS*}) algorithms; embedded or remote
 * keys ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}); any {@code crit} (no extension is understood); nested JWTs
 * ({@code cty: JWT}); encryption ({@code enc}), unencoded payloads ({@code b64}) and compression ({@code zip}); a
 * {@code typ} other than {@code JWT}.
 */
final class JwsStructure {

    /** Longest token accepted: ID tokens are a few KiB; anything bigger is refused unread. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private JwsStructure() {
    }

    /** {@code token} split and checked; the signature is not verified. */
    static CompactJws parse(String token) throws TokenRejected {
        if (token == null || token.isEmpty()) {
            throw reject(new Malformed("token is empty"));
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw reject(new Oversized(token.length(), MAX_TOKEN_LENGTH));
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            long parts = token.chars().filter(c -> c == '.').count() + 1;
            throw reject(new Malformed(parts == 5
                    ? "an encrypted token (JWE, five parts) is not accepted; expected a signed JWT (three parts)"
                    : "expected three dot-separated parts, found " + parts));
        }
        if (first == 0) {
            throw reject(new Malformed("the header part is empty"));
        }
        checkBase64Url(token, 0, first, "header");
        checkBase64Url(token, first + 1, second, "payload");
        checkBase64Url(token, second + 1, token.length(), "signature");

        String encodedHeader = token.substring(0, first);
        Map<String, Object> json;
        try {
            String headerText = new String(Base64.getUrlDecoder().decode(encodedHeader), StandardCharsets.UTF_8);
            json = JSONObjectUtils.parse(headerText);
        } catch (ParseException | IllegalArgumentException e) {
            throw reject(new Malformed("the header is not a JSON object"));
        }
        checkHeader(json);
        JWSHeader header;
        try {
            header = JWSHeader.parse(json, new Base64URL(encodedHeader));
        } catch (ParseException e) {
            throw reject(new Malformed("the header is not a valid JWS header"));
        }
        return new CompactJws(header, new Base64URL(token.substring(first + 1, second)),
                new Base64URL(token.substring(second + 1)),
                token.substring(0, second).getBytes(StandardCharsets.US_ASCII));
    }

    /** The issuer-independent header policy (see the class comment). */
    static void checkHeader(Map<String, Object> header) throws TokenRejected {
        if (!(header.get("alg") instanceof String alg) || alg.isEmpty()) {
            throw reject(new Malformed("the header has no alg"));
        }
        if (alg.equalsIgnoreCase("none")) {
            throw reject(new AlgorithmNotAllowed(alg, "unsigned tokens are never accepted"));
        }
        if (alg.toUpperCase(Locale.ROOT).startsWith("HS")) {
            throw reject(new AlgorithmNotAllowed(alg, "shared-secret (HMAC) algorithms are never accepted"));
        }
        if (header.containsKey("enc")) {
            throw reject(new HeaderNotAllowed("enc", "encrypted tokens (JWE) are not accepted"));
        }
        if (header.containsKey("jwk")) {
            throw reject(new HeaderNotAllowed("jwk", "keys embedded in a token are never trusted"));
        }
        for (String url : new String[] {"jku", "x5u"}) {
            if (header.containsKey(url)) {
                throw reject(new HeaderNotAllowed(url, "key URLs named by a token are never fetched"));
            }
        }
        if (header.containsKey("x5c")) {
            throw reject(new HeaderNotAllowed("x5c", "certificates embedded in a token are never trusted"));
        }
        if (header.containsKey("crit")) {
            throw reject(new HeaderNotAllowed("crit", "no critical header extension is understood"));
        }
        if (header.get("cty") instanceof String cty && isJwtType(cty)) {
            throw reject(new HeaderNotAllowed("cty", "nested JWTs are not accepted"));
        }
        if (header.containsKey("b64")) {
            throw reject(new HeaderNotAllowed("b64", "unencoded payloads are not accepted"));
        }
        if (header.containsKey("zip")) {
            throw reject(new HeaderNotAllowed("zip", "compressed payloads are not accepted"));
        }
        Object typ = header.get("typ");
        if (typ != null && !(typ instanceof String type && isJwtType(type))) {
            throw reject(new HeaderNotAllowed("typ", "expected JWT"));
        }
    }

    private static boolean isJwtType(String type) {
        return type.equalsIgnoreCase("JWT") || type.equalsIgnoreCase("application/jwt");
    }

    /**
     * Unpadded base64url, canonical: only the URL-safe alphabet, a length that is not 1 mod 4, and zero unused bits in
     * the last character (so each byte string has exactly one encoding).
     */
    private static void checkBase64Url(String token, int start, int end, String part) throws TokenRejected {
        int length = end - start;
        if (length % 4 == 1) {
            throw reject(new Malformed("the " + part + " is not valid base64url"));
        }
        int last = 0;
        for (int i = start; i < end; i++) {
            last = value(token.charAt(i));
            if (last < 0) {
                throw reject(new Malformed("the " + part + " is not base64url (unexpected character)"));
            }
        }
        int unusedBitsMask = switch (length % 4) {
            case 2 -> 0x0f;
            case 3 -> 0x03;
            default -> 0;
        };
        if ((last & unusedBitsMask) != 0) {
            throw reject(new Malformed("the " + part + " is not canonical base64url"));
        }
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }

    private static TokenRejected reject(VerificationFailure failure) {
        return new TokenRejected(failure);
    }
}
