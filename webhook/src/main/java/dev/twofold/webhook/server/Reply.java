package dev.twofold.webhook.server;

/**
 * A review answered: the JSON body to send with status 200, and what it came to for the metrics.
 *
 * @param body the serialized review response
 * @param outcome the decision, for metrics
 */
public record Reply(byte[] body, Outcome outcome) {
}
