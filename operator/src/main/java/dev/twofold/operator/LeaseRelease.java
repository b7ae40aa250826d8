package dev.twofold.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the leader Lease up on a graceful stop, as client-go's {@code ReleaseOnCancel} does: no holder, a one-second
 * duration. JOSDK 5.2.3 builds its elector without release, so a stopped leader would otherwise keep the Lease until it
 * expires, and during a rolling update nobody would reconcile for up to the lease duration. The update is conditional
 * on the Lease's resourceVersion: a Lease someone else took in the meantime is left alone.
 */
final class LeaseRelease {

    private static final Logger log = LoggerFactory.getLogger(LeaseRelease.class);

    private final KubernetesClient client;
    private final LeaseLock lock;
    private final String identity;
    private final Clock clock;

    LeaseRelease(KubernetesClient client, String namespace, String name, String identity, Clock clock) {
        this.client = client;
        this.lock = new LeaseLock(namespace, name, identity);
        this.identity = identity;
        this.clock = clock;
    }

    /** Releases the Lease if this process holds it; returns whether it did. Failures are logged: the Lease expires. */
    boolean release() {
        try {
            LeaderElectionRecord current = lock.get(client);
            if (current == null || !identity.equals(current.getHolderIdentity())) {
                return false;
            }
            ZonedDateTime now = ZonedDateTime.now(clock);
            lock.update(client, new LeaderElectionRecord(null, Duration.ofSeconds(1), now, now,
                    current.getLeaderTransitions()));
            log.info("leader election: released the lease {}", lock.describe());
            return true;
        } catch (KubernetesClientException e) {
            log.warn("leader election: could not release the lease {} ({}); it expires on its own", lock.describe(),
                    e.getMessage());
            return false;
        }
    }
}
