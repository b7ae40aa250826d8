package dev.twofold.operator.status;

import dev.twofold.operator.config.OperatorSettings;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events about the objects the operator looks after, like client-go's recorder: Events about
 * cluster-scoped objects go to the {@code default} namespace, and the same Event (object, reason, message) is not
 * repeated within {@link #REPEAT_AFTER}, so periodic re-checks do not flood the object's history.
 */
public final class EventRecorder {

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
    static final Duration REPEAT_AFTER = Duration.ofHours(1);
    private static final int REMEMBERED = 512;
    private static final int MAX_MESSAGE = 1024;
    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<String, Instant> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > REMEMBERED;
        }
    };

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void normal(HasMetadata regarding, String reason, String message) {
        record(regarding, NORMAL, reason, message);
    }

    public void warning(HasMetadata regarding, String reason, String message) {
        record(regarding, WARNING, reason, message);
    }

    private void record(HasMetadata regarding, String type, String reason, String message) {
        Instant now = clock.instant();
        String key = regarding.getMetadata().getUid() + "/" + type + "/" + reason + "/" + message;
        synchronized (recent) {
            Instant last = recent.get(key);
            if (last != null && now.isBefore(last.plus(REPEAT_AFTER))) {
                return;
            }
            recent.put(key, now);
        }
        String namespace = regarding.getMetadata().getNamespace() == null
                ? "default" : regarding.getMetadata().getNamespace();
        String time = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
        Event event = new EventBuilder()
                .withNewMetadata()
                .withGenerateName(regarding.getMetadata().getName() + ".")
                .withNamespace(namespace)
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(regarding.getApiVersion())
                .withKind(regarding.getKind())
                .withName(regarding.getMetadata().getName())
                .withNamespace(regarding.getMetadata().getNamespace())
                .withUid(regarding.getMetadata().getUid())
                .endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...")
                .withNewSource().withComponent(OperatorSettings.FIELD_MANAGER).endSource()
                .withReportingComponent(OperatorSettings.FIELD_MANAGER)
                .withReportingInstance(OperatorSettings.FIELD_MANAGER)
                .withFirstTimestamp(time)
                .withLastTimestamp(time)
                .withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(event).create();
        } catch (KubernetesClientException e) {
            // Events are best effort (client-go drops them too); the status condition and the log carry the same news.
            log.warn("could not record event reason={} object={}/{}: {}", reason, regarding.getKind(),
                    regarding.getMetadata().getName(), e.getMessage());
            synchronized (recent) {
                recent.remove(key);
            }
        }
    }
}
