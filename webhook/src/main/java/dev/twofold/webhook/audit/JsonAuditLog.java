package dev.twofold.webhook.audit;

import dev.twofold.webhook.server.JsonCodec;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each {@link AuditEvent} as one JSON object on one line. In the webhook the lines go to the logger
 * {@value #LOGGER}, which the webhook's logging configuration sends to stdout as the bare message.
 */
public final class JsonAuditLog implements AuditLog {

    /** The audit logger's name. */
    public static final String LOGGER = "dev.twofold.audit";

    private final JsonCodec json;
    private final Consumer<String> lines;

    /** Writes lines to {@code lines}. */
    public JsonAuditLog(JsonCodec json, Consumer<String> lines) {
        this.json = json;
        this.lines = lines;
    }

    /** Writes lines to the {@value #LOGGER} logger at INFO. */
    public static JsonAuditLog toLogger(JsonCodec json) {
        Logger logger = LoggerFactory.getLogger(LOGGER);
        return new JsonAuditLog(json, logger::info);
    }

    @Override
    public void record(AuditEvent event) {
        lines.accept(json.writeLine(event));
    }
}
