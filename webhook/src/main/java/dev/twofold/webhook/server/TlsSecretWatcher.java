package dev.twofold.webhook.server;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link ReloadingSslContext} on the certificate in the serving Secret ({@code tls.crt}, {@code tls.key},
 * maintained by the operator): an informer on that one Secret installs each new version as it arrives. A version that
 * cannot be used, or the Secret's deletion, leaves the current certificate in place: better an old certificate than
 * none.
 */
public final class TlsSecretWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TlsSecretWatcher.class);

    private final SecretRef ref;
    private final ReloadingSslContext tls;
    private final Clock clock;
    private final SharedIndexInformer<Secret> informer;
    private String appliedVersion;

    public TlsSecretWatcher(KubernetesClient client, SecretRef ref, ReloadingSslContext tls, Clock clock) {
        this.ref = ref;
        this.tls = tls;
        this.clock = clock;
        this.informer = client.secrets().inNamespace(ref.namespace()).withName(ref.name()).runnableInformer(0);
        informer.exceptionHandler((started, error) -> {
            LOG.atWarn().addKeyValue("secret", ref.toString()).addKeyValue("error", error.toString())
                    .log("watching the serving Secret failed; retrying");
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
                apply(secret);
            }

            @Override
            public void onUpdate(Secret previous, Secret secret) {
                apply(secret);
            }

            @Override
            public void onDelete(Secret secret, boolean finalStateUnknown) {
                LOG.atWarn().addKeyValue("secret", ref.toString())
                        .log("serving Secret deleted; keeping the current certificate until it is recreated");
            }
        });
    }

    /** Starts watching; completes when the informer has listed the Secret (which may not exist yet). */
    public CompletionStage<Void> start() {
        return informer.start().thenRun(() -> {
            if (!tls.loaded()) {
                LOG.atWarn().addKeyValue("secret", ref.toString())
                        .log("serving Secret not found or not usable yet; not ready until it is");
            }
        });
    }

    synchronized void apply(Secret secret) {
        String version = secret.getMetadata().getResourceVersion();
        if (version != null && version.equals(appliedVersion)) {
            return;
        }
        appliedVersion = version;
        try {
            ServingCertificate certificate = ServingCertificate.fromPem(field(secret, "tls.crt"),
                    field(secret, "tls.key"));
            tls.install(certificate);
            LOG.atInfo().addKeyValue("secret", ref.toString())
                    .addKeyValue("subject", certificate.leaf().getSubjectX500Principal().getName())
                    .addKeyValue("notAfter", certificate.notAfter())
                    .addKeyValue("sha256", certificate.fingerprint())
                    .log("serving certificate loaded");
            if (certificate.notAfter().isBefore(clock.instant())) {
                LOG.atWarn().addKeyValue("secret", ref.toString()).addKeyValue("notAfter", certificate.notAfter())
                        .log("serving certificate has expired");
            }
        } catch (InvalidCertificate e) {
            LOG.atError().addKeyValue("secret", ref.toString()).addKeyValue("resourceVersion", version)
                    .addKeyValue("problem", e.getMessage())
                    .log(tls.loaded() ? "serving Secret not usable; keeping the current certificate"
                            : "serving Secret not usable; no certificate to serve with");
        }
    }

    private static String field(Secret secret, String key) {
        Map<String, String> data = secret.getData();
        String encoded = data == null ? null : data.get(key);
        if (encoded == null) {
            return null;
        }
        try {
            return new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            return ""; // reported as empty PEM by the decoder
        }
    }

    @Override
    public void close() {
        informer.close();
    }
}
