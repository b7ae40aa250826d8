package dev.twofold.operator.config;

import dev.twofold.webhook.server.SecretRef;
import java.util.Objects;

/**
 * The agent issuance endpoint ({@code POST /v1/certificates}) of the operator.
 *
 * @param port the HTTPS port; 0 picks a free one
 * @param tlsSecret the serving certificate ({@code tls.crt}, {@code tls.key}); by default the webhook's, which the
 *     operator itself keeps current (its names must then include the agent Service's, see {@code --webhook-dns-names})
 * @param audience the audience agents' projected service account tokens must carry
 */
public record AgentEndpointSettings(int port, SecretRef tlsSecret, String audience) {

    public static final String DEFAULT_AUDIENCE = "twofold";

    public AgentEndpointSettings {
        Objects.requireNonNull(tlsSecret, "tlsSecret");
        Objects.requireNonNull(audience, "audience");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--agent-port must be 0-65535, got " + port);
        }
        if (audience.isBlank()) {
            throw new IllegalArgumentException("--agent-audience must not be empty");
        }
    }
}
