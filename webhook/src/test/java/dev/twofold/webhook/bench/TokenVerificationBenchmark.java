package dev.twofold.webhook.bench;

import dev.twofold.webhook.oidc.CacheLimits;
import dev.twofold.webhook.oidc.IssuerVerifier;
import dev.twofold.webhook.oidc.JwsVerifiers;
import dev.twofold.webhook.oidc.OidcFixture;
import dev.twofold.webhook.oidc.TokenVerification;
import dev.twofold.webhook.oidc.TokenVerifier;
import dev.twofold.webhook.oidc.VerifiedToken;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Token verification throughput on one thread (= per core): full verification (structure, header policy, signature,
 * claims, mapping; caches disabled) for RS256, ES256 with the JDK's and with BouncyCastle's ECDSA, EdDSA, and the
 * positive-cache path. Keys are fetched once from a loopback HTTPS IdP in setup; nothing touches the network while
 * measuring.
 *
 * <p>Run (with twofold-crds installed): {@code mvn -pl webhook test-compile exec:exec@jmh
 * -Djmh.args="TokenVerificationBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s"}; without installing, build the class path with
 * {@code mvn -o -pl crds,webhook -am test-compile dependency:build-classpath -Dmdep.includeScope=test
 * -Dmdep.outputFile=/tmp/cp.txt} and run {@code java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt)
 * org.openjdk.jmh.Main TokenVerificationBenchmark ...} in {@code webhook/}. Targets on JDK 25: RS256 ≥ 15,000/s,
 * ES256 ≥ 5,000/s, cached ≥ 200,000/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TokenVerificationBenchmark {

    private static final CacheLimits NO_CACHE = new CacheLimits(0, Duration.ZERO, 0, Duration.ZERO);

    private OidcFixture world;
    private IssuerVerifier bouncyIssuer;
    private TokenVerifier uncachedJdk;
    private TokenVerifier uncachedBouncyCastle;
    private String rs256;
    private String es256;
    private String eddsa;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        world = new OidcFixture();
        Map<String, Object> claims = world.claims();
        claims.put("exp", world.clock.instant().plus(Duration.ofDays(1)).getEpochSecond());
        rs256 = world.keys.token(world.keys.rsa, claims);
        es256 = world.keys.token(world.keys.ec, claims);
        eddsa = world.keys.token(world.keys.ed, claims);
        uncachedJdk = new TokenVerifier(List.of(world.issuer), NO_CACHE, world.clock, world.metrics);
        bouncyIssuer = new IssuerVerifier(world.config, new JwsVerifiers(new BouncyCastleProvider()), world.clock,
                world.metrics);
        uncachedBouncyCastle = new TokenVerifier(List.of(bouncyIssuer), NO_CACHE, world.clock, world.metrics);
        for (String token : List.of(rs256, es256, eddsa)) {
            check(uncachedJdk.verify(token));
            check(uncachedBouncyCastle.verify(token));
            check(world.verifier.verify(token));
        }
    }

    private static void check(TokenVerification result) {
        if (!(result instanceof VerifiedToken)) {
            throw new IllegalStateException("benchmark token rejected: " + result);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        bouncyIssuer.close();
        world.close();
    }

    @Benchmark
    public TokenVerification rs256Full() {
        return uncachedJdk.verify(rs256);
    }

    @Benchmark
    public TokenVerification es256FullJdk() {
        return uncachedJdk.verify(es256);
    }

    @Benchmark
    public TokenVerification es256FullBouncyCastle() {
        return uncachedBouncyCastle.verify(es256);
    }

    @Benchmark
    public TokenVerification eddsaFull() {
        return uncachedJdk.verify(eddsa);
    }

    @Benchmark
    public TokenVerification rs256Cached() {
        return world.verifier.verify(rs256);
    }
}
