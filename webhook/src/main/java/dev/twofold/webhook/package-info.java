/**
 * {@code twofold webhook}: {@link dev.twofold.webhook.WebhookMain} wires the HTTPS review server
 * ({@link dev.twofold.webhook.server}), the review endpoints ({@link dev.twofold.webhook.admission},
 * {@link dev.twofold.webhook.authz}), the live policies ({@link dev.twofold.webhook.policy}) and the audit log
 * ({@link dev.twofold.webhook.audit}); {@link dev.twofold.webhook.WebhookOptions} holds its flags.
 */
package dev.twofold.webhook;
