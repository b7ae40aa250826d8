package dev.twofold.webhook.policy;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link NamespaceLabels} from an informer on Namespaces: a store look-up per request, no API call. */
public final class NamespaceWatcher implements NamespaceLabels, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NamespaceWatcher.class);

    private final SharedIndexInformer<Namespace> informer;
    private volatile boolean synced;

    public NamespaceWatcher(KubernetesClient client) {
        this.informer = client.namespaces().runnableInformer(0);
        informer.exceptionHandler((started, error) -> {
            LOG.atWarn().addKeyValue("error", error.toString()).log("watching Namespaces failed; retrying");
            return true;
        });
    }

    /** Starts the informer; completes once the namespaces are listed. */
    public CompletionStage<Void> start() {
        return informer.start().thenRun(() -> synced = true);
    }

    @Override
    public Map<String, String> labels(String namespace) {
        // The informer replaces objects on change, never mutates them, so the map can be handed out as is.
        Namespace object = informer.getStore().getByKey(namespace);
        if (object == null || object.getMetadata().getLabels() == null) {
            return Map.of();
        }
        return object.getMetadata().getLabels();
    }

    @Override
    public boolean synced() {
        return synced;
    }

    /** Namespaces in the cache. */
    public int size() {
        return informer.getStore().list().size();
    }

    @Override
    public void close() {
        informer.close();
    }
}
