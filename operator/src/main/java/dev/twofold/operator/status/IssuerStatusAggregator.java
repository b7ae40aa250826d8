package dev.twofold.operator.status;

import dev.twofold.api.v1alpha1.OidcIssuer;
import dev.twofold.api.v1alpha1.OidcIssuerSpec;
import dev.twofold.api.v1alpha1.OidcIssuerStatus;
import dev.twofold.webhook.oidc.ProbeResult;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds an OidcIssuer's whole status from one {@link IssuerAssessment}: {@code observedGeneration}, the
 * {@value #DISCOVERY_OK}, {@value #KEYS_LOADED} and {@value #READY} conditions, {@code keyIds} and
 * {@code lastRefresh}. The one place this status is computed (STYLE 3); conditions keep their
 * {@code lastTransitionTime} unless their status flips (the shared {@link Conditions} knows only True and False;
 * these conditions can also be Unknown).
 *
 * <p><b>lastRefresh without a write per probe.</b> Every successful probe fetches the keys, but writing that time each
 * pass would rewrite the status every few minutes for nothing. {@code lastRefresh} therefore moves only when the key
 * IDs change or when the stored time is older than {@link #LAST_REFRESH_RESOLUTION}: it is exact when keys rotate and
 * at most that much behind otherwise, and a healthy issuer costs one status write per resolution period.
 *
 * <p>When a probe fails, {@code keyIds} and {@code lastRefresh} keep describing the last successful fetch for the same
 * spec generation (the webhook keeps verifying with those cached keys for the outage tolerance); a new generation
 * starts empty.
 */
public final class IssuerStatusAggregator {

    public static final String READY = OidcIssuerStatus.READY;
    public static final String DISCOVERY_OK = OidcIssuerStatus.DISCOVERY_OK;
    public static final String KEYS_LOADED = OidcIssuerStatus.KEYS_LOADED;

    /** Ready=False (all three): the spec has errors; also the Event reason. */
    public static final String INVALID_SPEC = "InvalidSpec";
    /** Ready=False (all three): an older OidcIssuer has the same url. */
    public static final String DUPLICATE_URL = "DuplicateUrl";
    /** DiscoveryOK=True. */
    public static final String DISCOVERED = "Discovered";
    /** DiscoveryOK=False, KeysLoaded=Unknown, Ready=False. */
    public static final String DISCOVERY_FAILED = "DiscoveryFailed";
    /** KeysLoaded=True. */
    public static final String KEYS_FETCHED = "KeysFetched";
    /** KeysLoaded=False, Ready=False: the key set could not be fetched or parsed. */
    public static final String KEYS_UNAVAILABLE = "KeysUnavailable";
    /** KeysLoaded=False, Ready=False: the key set has no key for the issuer's algorithms. */
    public static final String NO_USABLE_KEYS = "NoUsableKeys";
    /** Ready=True. */
    public static final String VERIFYING = "Verifying";

    /** How stale {@code lastRefresh} may get before it is written again with unchanged keys. */
    public static final Duration LAST_REFRESH_RESOLUTION = Duration.ofMinutes(30);
    /** The schema's cap on {@code keyIds}. */
    static final int MAX_KEY_IDS = 256;
    /** Condition messages are capped well below the API's 32768 characters. */
    static final int MAX_MESSAGE = 4096;

    /** One condition's status, reason and message. */
    private record State(String status, String reason, String message) {
    }

    /** The status {@code issuer} should have after {@code assessment}, at {@code now}. */
    public OidcIssuerStatus aggregate(OidcIssuer issuer, IssuerAssessment assessment, Instant now) {
        Long generation = issuer.getMetadata().getGeneration();
        OidcIssuerStatus previous = issuer.getStatus();
        OidcIssuerSpec spec = issuer.getSpec();
        boolean sameGeneration = previous != null && Objects.equals(previous.observedGeneration(), generation);
        List<String> keptKeyIds = sameGeneration ? previous.keyIds() : List.of();
        String keptRefresh = sameGeneration ? previous.lastRefresh() : null;

        State discovery;
        State keys;
        State ready;
        List<String> keyIds;
        String lastRefresh;
        switch (assessment) {
            case IssuerAssessment.Invalid invalid -> {
                discovery = new State("Unknown", INVALID_SPEC, "not probed: the spec is invalid");
                keys = discovery;
                ready = new State("False", INVALID_SPEC, "the spec is invalid: "
                        + invalid.validation().errorSummary());
                keyIds = List.of();
                lastRefresh = null;
            }
            case IssuerAssessment.Shadowed shadowed -> {
                String why = "the older OidcIssuer " + shadowed.owner() + " has the same url " + spec.url()
                        + " and serves it";
                discovery = new State("Unknown", DUPLICATE_URL, "not probed: " + why);
                keys = discovery;
                ready = new State("False", DUPLICATE_URL, why + "; this one is ignored until its url changes or "
                        + shadowed.owner() + " is deleted");
                keyIds = List.of();
                lastRefresh = null;
            }
            case IssuerAssessment.Probed(ProbeResult.Undiscovered undiscovered) -> {
                discovery = new State("False", DISCOVERY_FAILED, undiscovered.error());
                keys = new State("Unknown", DISCOVERY_FAILED, "not fetched: discovery failed");
                ready = new State("False", DISCOVERY_FAILED, "discovery failed: " + undiscovered.error());
                keyIds = keptKeyIds;
                lastRefresh = keptRefresh;
            }
            case IssuerAssessment.Probed(ProbeResult.KeysUnavailable unavailable) -> {
                discovery = discovered(unavailable.jwksUri());
                keys = new State("False", KEYS_UNAVAILABLE, unavailable.error());
                ready = new State("False", KEYS_UNAVAILABLE, "the signing keys cannot be fetched: "
                        + unavailable.error());
                keyIds = keptKeyIds;
                lastRefresh = keptRefresh;
            }
            case IssuerAssessment.Probed(ProbeResult.NoUsableKeys none) -> {
                String why = "the key set at " + none.jwksUri() + " holds " + count(none.keys(), "key") + ", none of "
                        + "them a signing key for " + algorithms(spec);
                discovery = discovered(none.jwksUri());
                keys = new State("False", NO_USABLE_KEYS, why);
                ready = new State("False", NO_USABLE_KEYS, why);
                keyIds = List.of();
                lastRefresh = refreshed(previous, keyIds, now);
            }
            case IssuerAssessment.Probed(ProbeResult.KeysLoaded loaded) -> {
                discovery = discovered(loaded.jwksUri());
                keys = new State("True", KEYS_FETCHED, count(loaded.usableKeys(), "signing key") + " for "
                        + algorithms(spec) + " at " + loaded.jwksUri());
                ready = new State("True", VERIFYING, "tokens with iss " + spec.url() + " and aud in "
                        + spec.audiences() + " are verified");
                keyIds = loaded.keyIds().size() <= MAX_KEY_IDS ? loaded.keyIds()
                        : loaded.keyIds().subList(0, MAX_KEY_IDS);
                lastRefresh = refreshed(previous, keyIds, now);
            }
        }
        List<Condition> before = previous == null ? List.of() : previous.conditions();
        return new OidcIssuerStatus(generation, List.of(
                condition(DISCOVERY_OK, discovery.status(), discovery.reason(), cap(discovery.message()),
                        generation, before, now),
                condition(KEYS_LOADED, keys.status(), keys.reason(), cap(keys.message()), generation,
                        before, now),
                condition(READY, ready.status(), ready.reason(), cap(ready.message()), generation, before,
                        now)),
                lastRefresh, keyIds);
    }

    /** Whether {@code desired} differs from what the issuer carries (so a status patch is needed). */
    public static boolean changed(OidcIssuer issuer, OidcIssuerStatus desired) {
        return !desired.equals(issuer.getStatus());
    }

    /** The Ready condition of {@code status}, if any. */
    public static Optional<Condition> ready(OidcIssuerStatus status) {
        return status == null ? Optional.empty()
                : status.conditions().stream().filter(c -> READY.equals(c.getType())).findFirst();
    }

    /** One condition; its {@code lastTransitionTime} moves only when its status flips (True, False or Unknown). */
    private static Condition condition(String type, String status, String reason, String message, Long generation,
            List<Condition> previous, Instant now) {
        String since = previous.stream()
                .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus())
                        && c.getLastTransitionTime() != null)
                .map(Condition::getLastTransitionTime)
                .findFirst()
                .orElseGet(() -> DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)));
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withObservedGeneration(generation).withLastTransitionTime(since).build();
    }

    private static State discovered(String jwksUri) {
        return new State("True", DISCOVERED, "the discovery document names this issuer; jwks_uri is " + jwksUri);
    }

    /** The stored time while the keys are unchanged and it is recent enough, else now. */
    private static String refreshed(OidcIssuerStatus previous, List<String> keyIds, Instant now) {
        if (previous != null && previous.lastRefresh() != null && previous.keyIds().equals(keyIds)) {
            try {
                Instant last = Instant.parse(previous.lastRefresh());
                if (now.isBefore(last.plus(LAST_REFRESH_RESOLUTION))) {
                    return previous.lastRefresh();
                }
            } catch (DateTimeParseException e) {
                // someone else's value: replace it
            }
        }
        return DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    }

    private static String algorithms(OidcIssuerSpec spec) {
        return spec.algorithms().stream().map(Enum::name).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String cap(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    }
}
