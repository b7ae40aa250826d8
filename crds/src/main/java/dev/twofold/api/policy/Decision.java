package dev.twofold.api.policy;

import java.util.List;

/**
 * The verdict of a {@link PolicySet} on one request.
 *
 * <h2>Which policy speaks</h2>
 * Policies are considered in name order; Disabled ones never match. If any Enforce policy that matches is unmet,
 * the request is {@link Deny denied} on behalf of the first such policy by name, and every other unmet Enforce
 * policy is listed, in name order, in {@link Deny#alsoFailing()} and the message. Otherwise, if any Audit policy that
 * matches is unmet, the answer is {@link AuditWarn} (allowed) on behalf of the first by name, the others again in
 * {@code alsoFailing}. Otherwise the request is {@link Allow allowed}.
 *
 * <h2>Message format</h2>
 * Denial ({@link Deny#message()}), one line:
 * <pre>
 * Twofold: MfaPolicy "&lt;policy&gt;" requires a second factor for &lt;verb&gt; &lt;resource&gt; &lt;scope&gt;:
 *   &lt;missing&gt;[; &lt;missing&gt;...].[ Also failing: MfaPolicy "&lt;other&gt;"[, "&lt;other&gt;"...].] Step up: &lt;hint&gt;
 * </pre>
 * (one line; wrapped here, with a single space at the break).
 * Audit warning ({@link AuditWarn#message()}), the same without the hint:
 * <pre>
 * Twofold audit: MfaPolicy "&lt;policy&gt;" would deny &lt;verb&gt; &lt;resource&gt; &lt;scope&gt;:
 *   &lt;missing&gt;[; ...].[ Also failing: MfaPolicy "&lt;other&gt;"[, ...].]
 * </pre>
 * where
 * <ul>
 *   <li>{@code <resource>} is {@code resource[.apiGroup][/subresource]}, e.g. {@code pods/exec},
 *       {@code clusterrolebindings.rbac.authorization.k8s.io};
 *   <li>{@code <scope>} is {@code in namespace <namespace>} or {@code at cluster scope};
 *   <li>each {@code <missing>} is a {@link Missing#describe()} in requirement order (amr, acr, auth_time, issuer),
 *       e.g. {@code amr [pwd] satisfies none of [[otp, pwd], [hwk]]};
 *   <li>{@code <hint>} is the policy's {@code stepUpHint} or {@link CompiledPolicy#DEFAULT_STEP_UP_HINT}.
 * </ul>
 * Example: {@code Twofold: MfaPolicy "exec-needs-mfa" requires a second factor for create pods/exec in namespace
 * demo: amr [pwd] satisfies none of [[otp, pwd], [hwk]]. Step up: run kubectl oidc-login with max_age=0}.
 * Values taken from the request or the token have control and line-separator characters replaced by {@code ?} and
 * are cut at 128 characters, so a message is always a single line.
 */
public sealed interface Decision {

  /** Whether the request may proceed (true for {@link Allow} and {@link AuditWarn}). */
  boolean allowed();

  /** Why a request was allowed. */
  enum AllowReason {
    /** No enabled policy matches the request. */
    NO_POLICY_MATCHED,
    /** Every matching policy is satisfied. */
    ALL_SATISFIED
  }

  /**
   * Allowed.
   *
   * @param reason why
   * @param satisfiedPolicies the matching (and satisfied) policies, in name order; empty for NO_POLICY_MATCHED
   */
  record Allow(AllowReason reason, List<String> satisfiedPolicies) implements Decision {
    public static final Allow NO_POLICY_MATCHED = new Allow(AllowReason.NO_POLICY_MATCHED, List.of());

    public Allow {
      satisfiedPolicies = List.copyOf(satisfiedPolicies);
    }

    @Override
    public boolean allowed() {
      return true;
    }
  }

  /**
   * Denied by an Enforce policy.
   *
   * @param policyName the first unmet Enforce policy by name
   * @param missing what it lacked, in requirement order
   * @param message the full denial text (see the format above)
   * @param stepUpHint that policy's hint (or the default)
   * @param alsoFailing the other unmet Enforce policies, in name order
   */
  record Deny(String policyName, List<Missing> missing, String message, String stepUpHint, List<String> alsoFailing)
      implements Decision {
    public Deny {
      missing = List.copyOf(missing);
      alsoFailing = List.copyOf(alsoFailing);
    }

    @Override
    public boolean allowed() {
      return false;
    }
  }

  /**
   * Allowed, but an Audit policy would have denied it: warn the client and annotate the audit event.
   *
   * @param policyName the first unmet Audit policy by name
   * @param missing what it lacked
   * @param message the warning text (see the format above)
   * @param alsoFailing the other unmet Audit policies, in name order
   */
  record AuditWarn(String policyName, List<Missing> missing, String message, List<String> alsoFailing)
      implements Decision {
    public AuditWarn {
      missing = List.copyOf(missing);
      alsoFailing = List.copyOf(alsoFailing);
    }

    @Override
    public boolean allowed() {
      return true;
    }
  }
}
