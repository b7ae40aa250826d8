package dev.twofold.webhook.authn;

import dev.twofold.api.v1alpha1.OidcIssuer;
import dev.twofold.api.v1alpha1.OidcIssuerSpec;
import dev.twofold.webhook.oidc.IssuerConfig;
import dev.twofold.webhook.oidc.IssuerVerifier;
import dev.twofold.webhook.oidc.JwsVerifiers;
import dev.twofold.webhook.oidc.OidcMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** OidcIssuers on loopback ports nothing listens on, and a verifier factory that remembers what it built. */
final class Issuers {

    private Issuers() {
    }

    /** An issuer URL nobody serves: discovery fails fast with "Connection refused". */
    static String url(String realm) {
        return "https://127.0.0.1:1/realms/" + realm;
    }

    static OidcIssuer issuer(String name, String url, String createdAt) {
        OidcIssuer issuer = OidcIssuer.of(name, new OidcIssuerSpec(url, List.of("kubectl"), null, null, null, null,
                null));
        issuer.getMetadata().setCreationTimestamp(createdAt);
        issuer.getMetadata().setGeneration(1L);
        return issuer;
    }

    /** A well-formed JWS naming {@code issuer} with a signature nobody made: enough to be routed to the issuer. */
    static String unsignedToken(String issuer) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = base64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"JWT\"}"
                .getBytes(StandardCharsets.UTF_8));
        long now = System.currentTimeMillis() / 1000;
        String claims = base64.encodeToString(("{\"iss\":\"" + issuer + "\",\"sub\":\"alice\",\"aud\":\"kubectl\","
                + "\"iat\":" + now + ",\"exp\":" + (now + 600) + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + "." + base64.encodeToString(new byte[256]);
    }

    /** Builds real verifiers and records each one. */
    static final class CountingFactory implements IssuerCatalog.VerifierFactory {
        final List<IssuerVerifier> built = new CopyOnWriteArrayList<>();
        final OidcMetrics metrics = new OidcMetrics(new SimpleMeterRegistry());

        @Override
        public IssuerVerifier build(IssuerConfig config) throws java.security.GeneralSecurityException {
            IssuerVerifier verifier = new IssuerVerifier(config, JwsVerifiers.JDK, Clock.systemUTC(), metrics);
            built.add(verifier);
            return verifier;
        }

        List<String> names() {
            return built.stream().map(v -> v.config().name()).toList();
        }
    }
}
