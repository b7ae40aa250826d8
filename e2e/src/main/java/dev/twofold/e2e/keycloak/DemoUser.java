package dev.twofold.e2e.keycloak;

import java.util.List;
import java.util.Optional;

/**
 * A person in the {@code twofold} realm, with the secrets a test needs to log in as them. The secrets are fixed so
 * that tests, the dev environment and its docs can name them; the realm only ever listens on loopback.
 *
 * @param totpSecret the OTP credential's raw secret ({@code secretData.value}), when the user has a second factor
 * @param groups     realm groups the user is a member of (top-level, so their names are also the {@code groups} claim)
 */
public record DemoUser(String username, String password, Optional<String> totpSecret, List<String> groups) {
    public static final String PLATFORM_ADMINS = "platform-admins";

    /** Password and TOTP, no groups. */
    public static final DemoUser ALICE = new DemoUser("alice", "alice-password-2f",
            Optional.of("alice-totp-secret-twofold"), List.of());
    /** Password only: the user a second-factor policy must stop. */
    public static final DemoUser BOB = new DemoUser("bob", "bob-password-1f", Optional.empty(), List.of());
    /** Password and TOTP, and a platform admin. */
    public static final DemoUser CAROL = new DemoUser("carol", "carol-password-2f",
            Optional.of("carol-totp-secret-twofold"), List.of(PLATFORM_ADMINS));

    public static final List<DemoUser> ALL = List.of(ALICE, BOB, CAROL);

    public DemoUser {
        groups = List.copyOf(groups);
    }

    /** The user's authenticator app, if they have one. */
    public Optional<Totp> totp() {
        return totpSecret.map(Totp::forKeycloakSecret);
    }

    @Override
    public String toString() {
        // names only: these records end up in test names and failure messages
        return "DemoUser[" + username + (totpSecret.isPresent() ? ", with TOTP" : ", password only")
                + (groups.isEmpty() ? "" : ", groups " + groups) + "]";
    }
}
