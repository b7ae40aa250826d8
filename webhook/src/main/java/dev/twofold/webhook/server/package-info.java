/**
 * The HTTP side of the webhook: the HTTPS server ({@link dev.twofold.webhook.server.WebhookServer}) with a
 * hot-reloaded certificate ({@link dev.twofold.webhook.server.ReloadingSslContext},
 * {@link dev.twofold.webhook.server.TlsSecretWatcher}), the one wrapper around every
 * {@link dev.twofold.webhook.server.Endpoint} (routing, limits, JSON errors, metrics), the metrics and health port
 * ({@link dev.twofold.webhook.server.MetricsServer}) and the metric names
 * ({@link dev.twofold.webhook.server.WebhookMetrics}).
 *
 * <p>Every non-200 answer is {@code {"error": "<what is wrong>"}}: 400 bad review, 404 unknown path, 405 not POST,
 * 413 body over 3 MiB, 415 not JSON, 500 internal (generic text; the cause is logged, never sent).
 */
package dev.twofold.webhook.server;
