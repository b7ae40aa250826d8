/**
 * {@code POST /admission/mfa}: the validating admission webhook
 * ({@link dev.twofold.webhook.admission.AdmissionEndpoint}).
 */
package dev.twofold.webhook.admission;
