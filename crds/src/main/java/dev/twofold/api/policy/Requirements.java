package dev.twofold.api.policy;

import dev.twofold.api.policy.Missing.MalformedEvidence;
import dev.twofold.api.v1alpha1.Require;
import dev.twofold.api.validation.GoDuration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The compiled {@code require} block. Each requirement present is checked on its own evidence entry: a malformed
 * entry fails exactly the requirements that need it (as {@link MalformedEvidence}); other entries are not consulted.
 *
 * <p>Freshness: the requirement holds when {@code now - auth_time <= maxAuthAge} (exactly maxAuthAge old is still
 * fresh), at whole-second precision. An auth_time up to {@link #ALLOWED_CLOCK_SKEW} in the future counts as just
 * now; further in the future it is malformed.
 */
final class Requirements {

  /** How far in the future an auth_time may be (IdP and webhook clocks differ a little). */
  static final Duration ALLOWED_CLOCK_SKEW = Duration.ofSeconds(60);

  private final List<List<String>> amrSets;
  private final List<String> acr;
  private final Set<String> acrSet;
  private final Duration maxAuthAge;
  private final long maxAuthAgeSeconds;
  private final List<String> issuers;
  private final Set<String> issuerSet;

  Requirements(Require require) {
    amrSets = require.amr() == null ? List.of() : require.amr().anyOf();
    acr = require.acr();
    acrSet = Set.copyOf(acr);
    maxAuthAge = require.maxAuthAge() == null ? null
        : GoDuration.parse(require.maxAuthAge()).orElseThrow(() -> new IllegalArgumentException("maxAuthAge"));
    maxAuthAgeSeconds = maxAuthAge == null ? 0 : maxAuthAge.getSeconds();
    issuers = require.issuers();
    issuerSet = Set.copyOf(issuers);
  }

  /** What {@code evidence} lacks at {@code now}; {@code null} when every requirement holds (no allocation). */
  List<Missing> check(Evidence evidence, Instant now) {
    List<Missing> missing = null;
    if (!amrSets.isEmpty()) {
      missing = add(missing, checkAmr(evidence));
    }
    if (!acr.isEmpty()) {
      missing = add(missing, checkSingle(evidence, Evidence.ACR, evidence.acr(), acrSet));
    }
    if (maxAuthAge != null) {
      missing = add(missing, checkFreshness(evidence, now));
    }
    if (!issuers.isEmpty()) {
      missing = add(missing, checkSingle(evidence, Evidence.ISS, evidence.issuer(), issuerSet));
    }
    return missing;
  }

  private static List<Missing> add(List<Missing> missing, Missing item) {
    if (item == null) {
      return missing;
    }
    List<Missing> out = missing == null ? new ArrayList<>(2) : missing;
    out.add(item);
    return out;
  }

  private Missing checkAmr(Evidence evidence) {
    MalformedEvidence malformed = evidence.malformed(Evidence.AMR);
    if (malformed != null) {
      return malformed;
    }
    List<String> presented = evidence.amr();
    if (presented.isEmpty()) {
      return new Missing.AmrAbsent(amrSets);
    }
    for (int i = 0, n = amrSets.size(); i < n; i++) {
      if (presented.containsAll(amrSets.get(i))) {
        return null;
      }
    }
    return new Missing.AmrNotSatisfied(presented, amrSets);
  }

  private Missing checkSingle(Evidence evidence, String key, Optional<String> presented, Set<String> accepted) {
    if (presented.isPresent()) {
      if (accepted.contains(presented.get())) {
        return null;
      }
      return key.equals(Evidence.ACR) ? new Missing.AcrNotAccepted(presented.get(), acr)
          : new Missing.IssuerNotAccepted(presented.get(), issuers);
    }
    MalformedEvidence malformed = evidence.malformed(key);
    if (malformed != null) {
      return malformed;
    }
    return key.equals(Evidence.ACR) ? new Missing.AcrAbsent(acr) : new Missing.IssuerAbsent(issuers);
  }

  private Missing checkFreshness(Evidence evidence, Instant now) {
    if (evidence.authTime().isEmpty()) {
      MalformedEvidence malformed = evidence.malformed(Evidence.AUTH_TIME);
      return malformed != null ? malformed : new Missing.AuthTimeAbsent(maxAuthAge);
    }
    long ageSeconds = now.getEpochSecond() - evidence.authTime().get().getEpochSecond();
    if (ageSeconds < -ALLOWED_CLOCK_SKEW.getSeconds()) {
      return new MalformedEvidence(Evidence.AUTH_TIME, "is " + GoDuration.format(Duration.ofSeconds(-ageSeconds))
          + " in the future");
    }
    if (ageSeconds <= maxAuthAgeSeconds) {
      return null;
    }
    return new Missing.AuthTooOld(Duration.ofSeconds(ageSeconds), maxAuthAge);
  }
}
