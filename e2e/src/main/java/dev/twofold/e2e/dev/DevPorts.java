package dev.twofold.e2e.dev;

import dev.twofold.e2e.env.LocalEnvironment;
import dev.twofold.e2e.env.TwofoldComponents;
import java.util.Map;

/**
 * The dev environment's fixed loopback ports, so that kubeconfigs and the issuer URL stay the same across restarts.
 * Each can be moved with an environment variable when something else holds it.
 */
final class DevPorts {
    private DevPorts() {}

    static LocalEnvironment.PortPlan from(Map<String, String> env) {
        return new LocalEnvironment.PortPlan(
                port(env, "TWOFOLD_DEV_ETCD_PORT", 12379),
                port(env, "TWOFOLD_DEV_ETCD_PEER_PORT", 12380),
                port(env, "TWOFOLD_DEV_APISERVER_PORT", 16443),
                port(env, "TWOFOLD_DEV_KEYCLOAK_PORT", 18443));
    }

    static TwofoldComponents.PortPlan twofoldFrom(Map<String, String> env) {
        return new TwofoldComponents.PortPlan(
                port(env, "TWOFOLD_DEV_WEBHOOK_PORT", 19443),
                port(env, "TWOFOLD_DEV_WEBHOOK_METRICS_PORT", 19090),
                port(env, "TWOFOLD_DEV_OPERATOR_METRICS_PORT", 19091),
                port(env, "TWOFOLD_DEV_AGENT_PORT", 19444));
    }

    private static int port(Map<String, String> env, String variable, int fallback) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) return fallback;
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) throw new NumberFormatException();
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + "=" + value + " is not a port number (1-65535)");
        }
    }
}
