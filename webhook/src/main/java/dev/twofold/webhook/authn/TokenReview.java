package dev.twofold.webhook.authn;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** The parts of an {@code authentication.k8s.io} TokenReview request that Twofold reads. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenReview(String apiVersion, String kind, Spec spec) {

    /**
     * {@code spec}.
     *
     * @param token the bearer token (never logged, never echoed)
     * @param audiences the audiences the caller accepts; the API server sends its own (its {@code --api-audiences})
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Spec(String token, List<String> audiences) {
    }
}
