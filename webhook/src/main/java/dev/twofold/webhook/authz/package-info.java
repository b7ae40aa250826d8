/**
 * {@code POST /authorize}: the authorization webhook ({@link dev.twofold.webhook.authz.AuthorizationEndpoint}), which
 * denies or has no opinion, and the guard against impersonating second-factor evidence
 * ({@link dev.twofold.webhook.authz.ImpersonationGuard}).
 */
package dev.twofold.webhook.authz;
