package dev.twofold.webhook.oidc;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;

/**
 * A compact JWS that passed the structural checks ({@link JwsStructure}): its header parsed and allowed, its payload
 * and signature still unverified.
 *
 * @param header the parsed, policy-checked header
 * @param payload the second part, base64url (canonical)
 * @param signature the third part, base64url (canonical, possibly empty)
 * @param signingInput the ASCII bytes {@code header.payload} the signature covers
 */
record CompactJws(JWSHeader header, Base64URL payload, Base64URL signature, byte[] signingInput) {
}
