package dev.twofold.operator.config;

import java.net.URI;
import java.util.Objects;

/** Where the API server reaches the admission webhook: the {@code clientConfig} of the webhook configuration. */
public sealed interface WebhookEndpoint {

    /** The path the webhook server serves admission reviews on. */
    String ADMISSION_PATH = "/admission/mfa";

    /** Out of cluster: {@code clientConfig.url}, e.g. {@code https://127.0.0.1:19443/admission/mfa}. */
    record Url(URI url) implements WebhookEndpoint {
        public Url {
            Objects.requireNonNull(url, "url");
            if (!"https".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("the webhook URL must be https://host[:port]/path, got " + url);
            }
            // The API server rejects user info, query and fragment in clientConfig.url.
            if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
                throw new IllegalArgumentException("the webhook URL must not carry user info, a query or a fragment: "
                        + url);
            }
        }
    }

    /** In cluster: {@code clientConfig.service} with path {@link #ADMISSION_PATH}. */
    record Service(String namespace, String name, int port) implements WebhookEndpoint {
        public Service {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("the webhook service port must be 1-65535, got " + port);
            }
        }

        /** The name the API server verifies the serving certificate against: {@code <name>.<namespace>.svc}. */
        public String dnsName() {
            return name + "." + namespace + ".svc";
        }
    }
}
