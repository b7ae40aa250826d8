package dev.twofold.api.policy;

import dev.twofold.api.validation.GoDuration;
import java.time.Duration;
import java.util.List;

/**
 * One unmet requirement of a policy: the evidence that was missing, wrong, stale or malformed. {@link #describe()}
 * renders it for the denial message (see {@link Decision} for the whole format); {@link #reason()} is a stable,
 * low-cardinality code for metrics and audit logs.
 */
public sealed interface Missing {

  /** A one-line description, e.g. {@code amr [pwd] satisfies none of [[otp, pwd], [hwk]]}. */
  String describe();

  /** A stable code: the record's simple name, e.g. {@code AmrNotSatisfied}. */
  default String reason() {
    return getClass().getSimpleName();
  }

  /** The token had no amr; one of {@code acceptable} was required. */
  record AmrAbsent(List<List<String>> acceptable) implements Missing {
    public AmrAbsent {
      acceptable = List.copyOf(acceptable);
    }

    @Override
    public String describe() {
      return "amr absent, need one of " + Text.sets(acceptable);
    }
  }

  /** The token's amr ({@code presented}) contains none of the {@code acceptable} sets. */
  record AmrNotSatisfied(List<String> presented, List<List<String>> acceptable) implements Missing {
    public AmrNotSatisfied {
      presented = List.copyOf(presented);
      acceptable = List.copyOf(acceptable);
    }

    @Override
    public String describe() {
      return "amr " + Text.list(presented) + " satisfies none of " + Text.sets(acceptable);
    }
  }

  /** The token had no acr; one of {@code accepted} was required. */
  record AcrAbsent(List<String> accepted) implements Missing {
    public AcrAbsent {
      accepted = List.copyOf(accepted);
    }

    @Override
    public String describe() {
      return "acr absent, need one of " + Text.list(accepted);
    }
  }

  /** The token's acr is not one of {@code accepted}. */
  record AcrNotAccepted(String presented, List<String> accepted) implements Missing {
    public AcrNotAccepted {
      accepted = List.copyOf(accepted);
    }

    @Override
    public String describe() {
      return "acr " + Text.quoted(presented) + " is not one of " + Text.list(accepted);
    }
  }

  /** The token had no auth_time, so its freshness cannot be judged. */
  record AuthTimeAbsent(Duration maxAuthAge) implements Missing {
    @Override
    public String describe() {
      return "auth_time absent, need authentication within " + GoDuration.format(maxAuthAge);
    }
  }

  /** The authentication happened {@code age} ago, more than {@code maxAuthAge}. */
  record AuthTooOld(Duration age, Duration maxAuthAge) implements Missing {
    /** How much older than allowed. */
    public Duration exceededBy() {
      return age.minus(maxAuthAge);
    }

    @Override
    public String describe() {
      return "auth_time " + GoDuration.format(age) + " ago exceeds maxAuthAge " + GoDuration.format(maxAuthAge)
          + " by " + GoDuration.format(exceededBy());
    }
  }

  /** The token had no issuer; one of {@code accepted} was required. */
  record IssuerAbsent(List<String> accepted) implements Missing {
    public IssuerAbsent {
      accepted = List.copyOf(accepted);
    }

    @Override
    public String describe() {
      return "issuer absent, need one of " + Text.list(accepted);
    }
  }

  /** The token's issuer is not one of {@code accepted}. */
  record IssuerNotAccepted(String presented, List<String> accepted) implements Missing {
    public IssuerNotAccepted {
      accepted = List.copyOf(accepted);
    }

    @Override
    public String describe() {
      return "issuer " + Text.quoted(presented) + " is not one of " + Text.list(accepted);
    }
  }

  /**
   * An evidence entry a requirement needed was malformed and therefore not trusted.
   *
   * @param key the {@code user.extra} key, e.g. {@code twofold.dev/auth-time}
   * @param problem what is wrong with it, already sanitized, e.g. {@code "1.7e+09" is not epoch seconds}
   */
  record MalformedEvidence(String key, String problem) implements Missing {
    @Override
    public String describe() {
      return Text.oneLine(key) + " malformed: " + problem;
    }
  }
}
