package dev.twofold.webhook.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.twofold.api.policy.Evidence;
import dev.twofold.api.v1alpha1.ClaimMapping;
import dev.twofold.api.v1alpha1.ClaimMappings;
import dev.twofold.webhook.oidc.VerificationFailure.Malformed;
import dev.twofold.webhook.oidc.VerificationFailure.MissingClaim;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verified claims to the Kubernetes user, as the API server's structured authentication maps them: user name =
 * prefix + the username claim, groups = prefix + each group, uid = {@code sub}, and the second-factor evidence in
 * {@code user.extra}: {@code twofold.dev/amr} (one entry per value), {@code twofold.dev/acr},
 * {@code twofold.dev/auth-time} (epoch seconds, {@code string(int(auth_time))}) and {@code twofold.dev/iss}.
 *
 * <p>Wrongly typed claims reject the token (structured authentication's CEL fails the same way); absent optional
 * claims are simply not mapped.
 */
final class ClaimMapper {

    private final ClaimMapping username;
    private final ClaimMapping groups;

    ClaimMapper(ClaimMappings mappings) {
        this.username = mappings.username();
        this.groups = mappings.groups();
    }

    AuthenticatedUser map(JWTClaimsSet claims) throws TokenRejected {
        Object name = claims.getClaim(username.claim());
        if (!(name instanceof String value) || value.isEmpty()) {
            throw new TokenRejected(new MissingClaim(username.claim(), name == null ? "is required (the user name)"
                    : "must be a non-empty string (the user name)"));
        }
        // As the API server does: an email only names a user once the IdP verified it.
        if (username.claim().equals("email") && claims.getClaim("email_verified") instanceof Object verified
                && !Boolean.TRUE.equals(verified)) {
            throw new TokenRejected(new MissingClaim("email_verified", "must be true when email is the user name"));
        }
        return new AuthenticatedUser(username.prefix() + value, claims.getSubject(), groups(claims), extra(claims));
    }

    private List<String> groups(JWTClaimsSet claims) throws TokenRejected {
        Object value = claims.getClaim(groups.claim());
        if (value == null) {
            return List.of();
        }
        List<String> names = strings(value);
        if (names == null) {
            throw new TokenRejected(new Malformed("claim " + groups.claim() + " must be a string or a list of "
                    + "strings"));
        }
        List<String> prefixed = new ArrayList<>(names.size());
        for (String group : names) {
            prefixed.add(groups.prefix() + group);
        }
        return prefixed;
    }

    private static Map<String, List<String>> extra(JWTClaimsSet claims) throws TokenRejected {
        Map<String, List<String>> extra = new LinkedHashMap<>(8);
        Object amr = claims.getClaim("amr");
        if (amr != null) {
            List<String> values = strings(amr);
            if (values == null) {
                throw new TokenRejected(new Malformed("claim amr must be a list of strings"));
            }
            if (!values.isEmpty()) {
                extra.put(Evidence.AMR, values);
            }
        }
        Object acr = claims.getClaim("acr");
        if (acr != null) {
            if (!(acr instanceof String value)) {
                throw new TokenRejected(new Malformed("claim acr must be a string"));
            }
            extra.put(Evidence.ACR, List.of(value));
        }
        Object authTime = claims.getClaim("auth_time");
        if (authTime != null) {
            if (!(authTime instanceof Number number)) {
                throw new TokenRejected(new Malformed("claim auth_time must be a number"));
            }
            // string(int(auth_time)): whole seconds, truncated, never exponent notation.
            long seconds = number instanceof Double || number instanceof Float ? (long) number.doubleValue()
                    : number.longValue();
            extra.put(Evidence.AUTH_TIME, List.of(Long.toString(seconds)));
        }
        extra.put(Evidence.ISS, List.of(claims.getIssuer()));
        return extra;
    }

    /** A string as a one-element list, a list of strings as is, anything else {@code null}. */
    private static List<String> strings(Object value) {
        if (value instanceof String single) {
            return List.of(single);
        }
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object item : list) {
                if (!(item instanceof String text)) {
                    return null;
                }
                out.add(text);
            }
            return out;
        }
        return null;
    }
}
