/**
 * The MFA decision engine shared by the webhook (authorization and admission) and the operator (webhook rules,
 * status): pure, allocation-light, precompiled.
 *
 * <p>Flow: {@link dev.twofold.api.policy.CompiledPolicy#compile} each {@code MfaPolicy} once per change, gather the
 * compiled ones into an immutable {@link dev.twofold.api.policy.PolicySet}, and per request call
 * {@link dev.twofold.api.policy.PolicySet#evaluate} with {@link dev.twofold.api.policy.RequestAttributes} and
 * {@link dev.twofold.api.policy.Evidence} parsed from the user's extras. The answer is a
 * {@link dev.twofold.api.policy.Decision}.
 */
package dev.twofold.api.policy;
