package dev.twofold.webhook.oidc;

import java.util.List;

/**
 * What one probe of an issuer found ({@link IssuerProbe}): a fresh discovery and one key set fetch, nothing cached.
 * Errors are single lines for a status condition, never stack traces.
 */
public sealed interface ProbeResult {

    /** The discovery document could not be fetched, or it does not describe this issuer. */
    record Undiscovered(String error) implements ProbeResult {
    }

    /** Discovery named {@code jwksUri}, but the key set could not be fetched or parsed. */
    record KeysUnavailable(String jwksUri, String error) implements ProbeResult {
    }

    /**
     * The key set was fetched, but none of its {@code keys} could verify a token under the issuer's algorithms (wrong
     * key types or curves, {@code use: enc}, {@code key_ops} without {@code verify}, RSA under 2048 bits).
     */
    record NoUsableKeys(String jwksUri, int keys) implements ProbeResult {
    }

    /**
     * The key set was fetched and {@code usableKeys} of its keys can verify tokens.
     *
     * @param keyIds the usable keys' {@code kid}s, sorted and distinct (keys without one count in {@code usableKeys}
     *     only)
     */
    record KeysLoaded(String jwksUri, List<String> keyIds, int usableKeys) implements ProbeResult {

        public KeysLoaded {
            keyIds = List.copyOf(keyIds);
        }
    }
}
