package dev.twofold.api.v1alpha1;

/**
 * The JWS algorithms an {@link OidcIssuer} may allow. Asymmetric only: HMAC (HS256...) would let anyone who knows
 * the verification key mint tokens, and {@code none} is no signature at all, so neither can be configured.
 *
 * <p>Constant names are the JOSE wire names, so they serialize as written in YAML.
 */
public enum SigningAlgorithm {
    RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA
}
