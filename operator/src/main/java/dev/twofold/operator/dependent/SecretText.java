package dev.twofold.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** A Secret's {@code data} as text (PEM is ASCII) and back. */
public final class SecretText {

    private SecretText() {
    }

    /** The decoded data by key; {@code null} for an absent Secret. Undecodable values are left out. */
    public static Map<String, String> read(Secret secret) {
        if (secret == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((key, value) -> {
                try {
                    out.put(key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // not base64: the API server would never return this; treat the key as absent
                }
            });
        }
        return out;
    }

    static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
