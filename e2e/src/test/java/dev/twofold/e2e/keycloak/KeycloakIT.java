package dev.twofold.e2e.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twofold.e2e.pki.Pki;
import dev.twofold.e2e.process.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/** A real Keycloak with the twofold realm: what its tokens say about how the user logged in. */
class KeycloakIT {
    private static final Clock CLOCK = Clock.systemUTC();

    private static KeycloakServer server;
    private static OidcLogin login;

    @RegisterExtension
    static final TestWatcher PRINT_LOG_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (server != null) {
                System.err.println("---- last 60 lines of " + server.process().logFile() + " ----\n" + server.process().logTail(60));
            }
        }
    };

    @BeforeAll
    static void startKeycloakWithTheRealm() {
        Path state = Path.of("target", "keycloak-it").toAbsolutePath();
        wipe(state);
        Pki.Issued ca = Pki.newCa("twofold keycloak-it CA", Duration.ofDays(1)).writeTo(state, "ca");
        Pki.newServingCert(ca, "keycloak", Duration.ofDays(1)).writeTo(state, "keycloak");
        KeycloakJava java = KeycloakJava.current();
        Path home = KeycloakDistribution.fromBuild().install(KeycloakDistribution.defaultCacheRoot(), java);
        Instant starting = Instant.now();
        server = KeycloakServer.start(new KeycloakServer.Settings(home, java, Ports.free(),
                state.resolve("keycloak.crt"), state.resolve("keycloak.key"), state.resolve("ca.crt"), state,
                AdminCredentials.LOCAL, KeycloakServer.Settings.DEFAULT_START_TIMEOUT));
        System.err.println("[keycloak-it] Keycloak ready in " + Duration.between(starting, Instant.now()).toMillis() + " ms");
        assertThat(new RealmSetup(server.adminApi()).apply()).as("the realm was created").isTrue();
        login = new OidcLogin(server.issuerUrl(), server.sslContext(), CLOCK);
    }

    @AfterAll
    static void stopKeycloak() {
        if (server != null) server.close();
    }

    @Test
    void the_issuer_is_the_loopback_https_url_of_the_twofold_realm() {
        assertThat(server.issuerUrl()).isEqualTo("https://127.0.0.1:" + server.port() + "/realms/twofold");
        assertThat(login.directGrant(DemoUser.BOB).idTokenClaims().path("iss").asText()).isEqualTo(server.issuerUrl());
    }

    @Test
    void a_direct_grant_with_password_and_totp_yields_amr_pwd_and_otp() {
        JsonNode claims = login.directGrant(DemoUser.ALICE).idTokenClaims();

        assertThat(strings(claims.path("amr"))).contains("pwd", "otp");
        assertThat(claims.path("acr").asText()).isNotEmpty();
        assertThat(claims.path("aud").asText()).isEqualTo("kubectl");
        assertThat(claims.path("preferred_username").asText()).isEqualTo("alice");
        assertThat(strings(claims.path("groups"))).isEmpty();
    }

    @Test
    void a_direct_grant_with_password_only_yields_amr_pwd() {
        JsonNode claims = login.directGrant(DemoUser.BOB).idTokenClaims();

        assertThat(strings(claims.path("amr"))).containsExactly("pwd");
        assertThat(claims.path("aud").asText()).isEqualTo("kubectl");
    }

    @Test
    void the_access_token_carries_amr_too() {
        assertThat(strings(login.directGrant(DemoUser.ALICE).accessTokenClaims().path("amr"))).contains("pwd", "otp");
    }

    @Test
    void group_membership_reaches_the_id_token_as_plain_group_names() {
        JsonNode claims = login.directGrant(DemoUser.CAROL).idTokenClaims();

        assertThat(strings(claims.path("groups"))).containsExactly("platform-admins");
        assertThat(strings(claims.path("amr"))).contains("pwd", "otp");
    }

    @Test
    void an_authorization_code_login_yields_a_recent_auth_time_and_amr_pwd_and_otp() {
        Instant before = Instant.now();
        Tokens tokens = login.authorizationCodeLogin(DemoUser.ALICE, Map.of());
        JsonNode claims = tokens.idTokenClaims();

        assertThat(claims.has("auth_time")).as("auth_time present").isTrue();
        assertThat(Instant.ofEpochSecond(claims.path("auth_time").asLong()))
                .isBetween(before.minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS), Instant.now());
        assertThat(strings(claims.path("amr"))).contains("pwd", "otp");
        assertThat(claims.path("aud").asText()).isEqualTo("kubectl");
        assertThat(tokens.expiry()).isAfter(Instant.now());
    }

    @Test
    void an_authorization_code_login_without_totp_yields_amr_pwd() {
        JsonNode claims = login.authorizationCodeLogin(DemoUser.BOB, Map.of()).idTokenClaims();

        assertThat(strings(claims.path("amr"))).containsExactly("pwd");
        assertThat(claims.has("auth_time")).isTrue();
    }

    @Test
    void a_second_login_in_the_same_browser_keeps_the_first_auth_time_until_max_age_forces_a_new_one() {
        try (BrowserSession browser = login.newBrowserSession()) {
            long first = login.authorizationCodeLogin(browser, DemoUser.ALICE, Map.of()).idTokenClaims().path("auth_time").asLong();
            awaitNextSecond(first);

            long again = login.authorizationCodeLogin(browser, DemoUser.ALICE, Map.of()).idTokenClaims().path("auth_time").asLong();
            JsonNode fresh = login.authorizationCodeLogin(browser, DemoUser.ALICE, Map.of("max_age", "0")).idTokenClaims();

            assertThat(again).as("SSO session reused").isEqualTo(first);
            assertThat(fresh.path("auth_time").asLong()).as("re-authenticated").isGreaterThan(first);
            assertThat(strings(fresh.path("amr"))).contains("pwd", "otp");
        }
    }

    @Test
    void a_refreshed_id_token_keeps_auth_time_and_amr() {
        Tokens tokens = login.authorizationCodeLogin(DemoUser.ALICE, Map.of());
        Tokens refreshed = login.refresh("alice", tokens);

        assertThat(refreshed.idTokenClaims().path("auth_time").asLong())
                .isEqualTo(tokens.idTokenClaims().path("auth_time").asLong());
        assertThat(strings(refreshed.idTokenClaims().path("amr"))).contains("pwd", "otp");
    }

    @Test
    void a_wrong_totp_code_is_rejected_in_the_direct_grant() {
        assertThatThrownBy(() -> login.directGrant(DemoUser.ALICE, Optional.of(wrongCode(DemoUser.ALICE))))
                .isInstanceOf(LoginRejected.class)
                .hasMessage("Keycloak rejected the password grant of alice: invalid_grant (Invalid user credentials)");
    }

    @Test
    void a_missing_totp_code_is_rejected_in_the_direct_grant() {
        assertThatThrownBy(() -> login.directGrant(DemoUser.ALICE, Optional.empty()))
                .isInstanceOf(LoginRejected.class)
                .extracting(e -> ((LoginRejected) e).error()).isEqualTo("invalid_grant");
    }

    @Test
    void a_wrong_totp_code_is_rejected_on_the_login_page() {
        DemoUser wrongSecret = new DemoUser("alice", DemoUser.ALICE.password(), Optional.of("not-alices-secret"), List.of());

        assertThatThrownBy(() -> login.authorizationCodeLogin(wrongSecret, Map.of()))
                .isInstanceOf(LoginRejected.class)
                .hasMessage("Keycloak rejected the authorization-code login of alice: login_page (Invalid authenticator code.)");
    }

    @Test
    void a_wrong_password_is_rejected_on_the_login_page() {
        DemoUser wrongPassword = new DemoUser("bob", "not-bobs-password", Optional.empty(), List.of());

        assertThatThrownBy(() -> login.authorizationCodeLogin(wrongPassword, Map.of()))
                .isInstanceOf(LoginRejected.class)
                .hasMessage("Keycloak rejected the authorization-code login of bob: login_page (Invalid username or password.)");
    }

    @Test
    void applying_the_realm_again_changes_nothing_and_logins_still_work() {
        assertThat(new RealmSetup(server.adminApi()).apply()).as("created again").isFalse();
        assertThat(strings(login.directGrant(DemoUser.ALICE).idTokenClaims().path("amr"))).contains("pwd", "otp");
    }

    /** A code Keycloak cannot accept now: none of the codes of the steps its look-around window allows. */
    private static String wrongCode(DemoUser user) {
        Totp totp = user.totp().orElseThrow();
        long step = CLOCK.instant().getEpochSecond() / 30;
        Set<String> valid = Set.copyOf(LongStream.rangeClosed(step - 2, step + 2).mapToObj(totp::codeForCounter).toList());
        return Stream.iterate(0, i -> i + 1).map(i -> String.format("%06d", i * 111_111 % 1_000_000))
                .filter(code -> !valid.contains(code)).findFirst().orElseThrow();
    }

    private static void awaitNextSecond(long epochSecond) {
        // auth_time has one-second resolution; a re-authentication within the same second would look unchanged
        while (Instant.now().getEpochSecond() <= epochSecond) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static void wipe(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("could not clear " + dir, e);
        }
    }
}
