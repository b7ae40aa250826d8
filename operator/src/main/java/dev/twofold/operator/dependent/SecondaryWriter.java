package dev.twofold.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * Creates or replaces a secondary resource and puts the result into its informer's cache at once, so the next
 * reconcile reads what was just written rather than a stale copy (which could, e.g., make it mint a second CA).
 * A replace carries the actual resourceVersion: a concurrent change fails it with 409 and the framework retries on
 * fresh data.
 */
public final class SecondaryWriter {

    private final KubernetesClient client;

    public SecondaryWriter(KubernetesClient client) {
        this.client = client;
    }

    public <R extends HasMetadata> R write(R desired, R actual, InformerEventSource<R, ?> cache) {
        if (actual == null) {
            R created = client.resource(desired).create();
            cache.handleRecentResourceCreate(ResourceID.fromResource(created), created);
            return created;
        }
        desired.getMetadata().setResourceVersion(actual.getMetadata().getResourceVersion());
        R updated = client.resource(desired).update();
        cache.handleRecentResourceUpdate(ResourceID.fromResource(updated), updated, actual);
        return updated;
    }
}
