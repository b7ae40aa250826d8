/**
 * The live policies: informers on MfaPolicies ({@link dev.twofold.webhook.policy.PolicyWatcher}) and Namespaces
 * ({@link dev.twofold.webhook.policy.NamespaceWatcher}) keep an immutable snapshot
 * ({@link dev.twofold.webhook.policy.PolicySnapshot}) that requests read lock-free through
 * {@link dev.twofold.webhook.policy.LivePolicyEngine}. Nothing is compiled on the request path.
 */
package dev.twofold.webhook.policy;
