package dev.twofold.e2e.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.twofold.e2e.keycloak.DemoUser;
import dev.twofold.e2e.keycloak.OidcLogin;
import dev.twofold.e2e.keycloak.Tokens;
import dev.twofold.e2e.pki.Pki;
import dev.twofold.e2e.pki.TlsContexts;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The exec credential plugin of the dev kubeconfigs: logs the user in to Keycloak through the authorization-code flow
 * (which, unlike a direct grant, yields {@code auth_time}), prints an ExecCredential with the ID token, and caches
 * the token until shortly before it expires, as kubelogin does. {@code --fresh} skips the cache and forces a new
 * authentication ({@code max_age=0}): the step-up a policy's {@code maxAuthAge} asks for.
 */
final class DevToken {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REUSE_MARGIN = Duration.ofSeconds(30);

    private DevToken() {}

    static int run(DevLayout layout, List<String> args) {
        if (args.isEmpty() || args.size() > 2 || (args.size() == 2 && !args.get(1).equals("--fresh"))) {
            System.err.println("usage: twofold dev token <alice|bob|carol> [--fresh]");
            return 2;
        }
        boolean fresh = args.size() == 2;
        DemoUser user = DemoUser.ALL.stream().filter(u -> u.username().equals(args.get(0))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown user '" + args.get(0) + "' (known: alice, bob, carol)"));
        Path cache = layout.tokenCache(user.username());
        Optional<CachedToken> cached = fresh ? Optional.empty() : CachedToken.read(cache)
                .filter(t -> t.expiry().isAfter(Instant.now().plus(REUSE_MARGIN)));
        CachedToken token = cached.orElseGet(() -> {
            CachedToken obtained = login(layout, user, fresh);
            obtained.write(cache);
            return obtained;
        });
        ObjectNode credential = JSON.createObjectNode()
                .put("apiVersion", "client.authentication.k8s.io/v1").put("kind", "ExecCredential");
        credential.putObject("status").put("token", token.idToken()).put("expirationTimestamp", token.expiry().toString());
        System.out.println(credential.toString());
        return 0;
    }

    private static CachedToken login(DevLayout layout, DemoUser user, boolean fresh) {
        Properties settings = new Properties();
        try (Reader in = Files.newBufferedReader(layout.settingsFile())) {
            settings.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("the dev environment is not up (" + layout.settingsFile() + " is missing); run './twofold dev up'");
        }
        try {
            String caPem = Files.readString(Path.of(settings.getProperty("idpCaFile")));
            var login = new OidcLogin(settings.getProperty("issuer"), TlsContexts.trusting(caPem, Optional.empty()), Clock.systemUTC());
            Tokens tokens = login.authorizationCodeLogin(user, fresh ? Map.of("max_age", "0") : Map.of());
            Instant idTokenExpiry = Instant.ofEpochSecond(tokens.idTokenClaims().path("exp").asLong());
            return new CachedToken(tokens.idToken(), idTokenExpiry);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the IdP's CA certificate", e);
        }
    }

    /** An ID token and when it expires; stored readable by the owner only. */
    record CachedToken(String idToken, Instant expiry) {
        static Optional<CachedToken> read(Path file) {
            try {
                var node = JSON.readTree(file.toFile());
                return Optional.of(new CachedToken(node.path("idToken").asText(), Instant.parse(node.path("expiry").asText())));
            } catch (IOException | RuntimeException e) {
                return Optional.empty(); // absent or unreadable: log in again
            }
        }

        void write(Path file) {
            Pki.writePrivate(file, JSON.createObjectNode().put("idToken", idToken).put("expiry", expiry.toString()).toString());
        }
    }
}
