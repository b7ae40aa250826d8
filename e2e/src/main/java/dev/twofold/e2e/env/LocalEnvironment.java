package dev.twofold.e2e.env;

import dev.twofold.e2e.controlplane.ApiServerConfigFiles;
import dev.twofold.e2e.controlplane.ApiServerConfigFiles.Authorizer;
import dev.twofold.e2e.controlplane.ControlPlane;
import dev.twofold.e2e.controlplane.ControlPlaneBinaries;
import dev.twofold.e2e.controlplane.Kubeconfig;
import dev.twofold.e2e.controlplane.OidcIssuer;
import dev.twofold.e2e.keycloak.AdminCredentials;
import dev.twofold.e2e.keycloak.KeycloakDistribution;
import dev.twofold.e2e.keycloak.KeycloakJava;
import dev.twofold.e2e.keycloak.KeycloakServer;
import dev.twofold.e2e.keycloak.OidcLogin;
import dev.twofold.e2e.keycloak.RealmSetup;
import dev.twofold.e2e.keycloak.TwofoldRealm;
import dev.twofold.e2e.pki.Pki;
import dev.twofold.e2e.process.ManagedProcess;
import dev.twofold.e2e.process.Ports;
import dev.twofold.e2e.keycloak.DemoUser;
import dev.twofold.e2e.pki.TlsContexts;
import dev.twofold.e2e.process.ProcessFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Everything Twofold is tested and demonstrated against: a real Keycloak issuing OIDC tokens with second-factor
 * claims, and etcd + kube-apiserver trusting that issuer through structured authentication. Shared by the JUnit
 * harness and {@code ./twofold dev}. Keycloak (the slow one) and the control plane start side by side.
 */
public final class LocalEnvironment implements AutoCloseable {
    /** The kubectl client's ID tokens carry this audience; the API server accepts exactly it. */
    public static final String AUDIENCE = "kubectl";
    private static final Duration OIDC_READY = Duration.ofSeconds(90);

    /** Loopback ports of each component. */
    public record PortPlan(int etcd, int etcdPeer, int apiserver, int keycloak) {
        public static PortPlan free() {
            return new PortPlan(Ports.free(), Ports.free(), Ports.free(), Ports.free());
        }
    }

    /**
     * What to start.
     *
     * @param twofold ports for Twofold's operator and webhook, which are then started too and wired into the API
     *                server (authorization webhook before RBAC); empty for the bare control plane and IdP
     */
    public record Spec(Path projectRoot, Path stateDir, PortPlan ports, Optional<TwofoldComponents.PortPlan> twofold,
                       AuthenticationMode authentication) {
        public Spec {
            if (authentication == AuthenticationMode.TWOFOLD_WEBHOOK && twofold.isEmpty()) {
                throw new IllegalArgumentException("authentication through Twofold's webhook needs Twofold running");
            }
        }

        public Spec(Path projectRoot, Path stateDir, PortPlan ports, Optional<TwofoldComponents.PortPlan> twofold) {
            this(projectRoot, stateDir, ports, twofold, AuthenticationMode.STRUCTURED);
        }
    }

    /** Who verifies the IdP's tokens: the API server itself, or Twofold's TokenReview webhook. */
    public enum AuthenticationMode { STRUCTURED, TWOFOLD_WEBHOOK }

    private final ControlPlane controlPlane;
    private final KeycloakServer.Settings keycloakSettings;
    private KeycloakServer keycloak;
    private final Pki.Issued idpCa;
    private Optional<TwofoldComponents> twofold = Optional.empty();

    private LocalEnvironment(ControlPlane controlPlane, KeycloakServer keycloak, KeycloakServer.Settings keycloakSettings,
                             Pki.Issued idpCa) {
        this.controlPlane = controlPlane;
        this.keycloak = keycloak;
        this.keycloakSettings = keycloakSettings;
        this.idpCa = idpCa;
    }

    public static LocalEnvironment start(Spec spec) {
        PortPlan ports = spec.ports();
        Ports.requireFree(ports.keycloak(), "Keycloak");
        ControlPlaneBinaries binaries = ControlPlaneBinaries.ensure(spec.projectRoot());
        KeycloakJava java = KeycloakJava.current();
        Path keycloakHome = KeycloakDistribution.fromBuild().install(KeycloakDistribution.defaultCacheRoot(), java);

        Path idpPki = spec.stateDir().resolve("pki-idp");
        Pki.Issued idpCa = Pki.newCa("twofold-local-idp-ca", Duration.ofDays(30)).writeTo(idpPki, "ca");
        Pki.newServingCert(idpCa, "keycloak", Duration.ofDays(30)).writeTo(idpPki, "keycloak");
        var settings = new KeycloakServer.Settings(keycloakHome, java, ports.keycloak(),
                idpPki.resolve("keycloak.crt"), idpPki.resolve("keycloak.key"), idpPki.resolve("ca.crt"),
                spec.stateDir(), AdminCredentials.LOCAL, KeycloakServer.Settings.DEFAULT_START_TIMEOUT);
        CompletableFuture<KeycloakServer> keycloak = CompletableFuture.supplyAsync(() -> KeycloakServer.start(settings));

        String issuer = "https://127.0.0.1:" + ports.keycloak() + "/realms/" + TwofoldRealm.NAME;
        Optional<Pki.Issued> webhookCa = spec.twofold().map(p -> TwofoldComponents.newWebhookCa(spec.stateDir().resolve("pki-webhook")));
        List<Authorizer> authorizers = spec.twofold().isEmpty() ? ApiServerConfigFiles.NODE_AND_RBAC : List.of(
                new Authorizer.Node(),
                // before RBAC: RBAC allows cluster-admins everything, and the chain stops at the first allow
                new Authorizer.Webhook("twofold", writeWebhookKubeconfig(spec, "authorization-webhook",
                        spec.twofold().get().authorizeUrl(), webhookCa.orElseThrow()), TwofoldComponents.AUTHORIZATION_MATCH),
                new Authorizer.Rbac());
        ControlPlane plane;
        try {
            ControlPlane.Authentication authentication = spec.authentication() == AuthenticationMode.STRUCTURED
                    ? new ControlPlane.Authentication.Structured(new OidcIssuer(issuer, AUDIENCE, idpCa.certificatePem()))
                    : new ControlPlane.Authentication.TokenWebhook(writeWebhookKubeconfig(spec, "authentication-webhook",
                            spec.twofold().orElseThrow().authenticateUrl(), webhookCa.orElseThrow()));
            plane = ControlPlane.start(new ControlPlane.Spec(spec.stateDir(), binaries, ports.etcd(), ports.etcdPeer(),
                    ports.apiserver(), authentication, authorizers));
        } catch (RuntimeException e) {
            stopWhenStarted(keycloak);
            throw e;
        }
        try {
            KeycloakServer idp = keycloak.join();
            new RealmSetup(idp.adminApi()).apply();
            LocalEnvironment env = new LocalEnvironment(plane, idp, settings, idpCa);
            if (spec.authentication() == AuthenticationMode.STRUCTURED) env.awaitOidcAuthentication();
            if (spec.twofold().isPresent()) {
                try (var admin = plane.adminClient()) {
                    env.twofold = Optional.of(TwofoldComponents.start(spec.projectRoot(), spec.stateDir(),
                            plane.adminKubeconfig(), admin, spec.twofold().get(), webhookCa.get()));
                    if (spec.authentication() == AuthenticationMode.TWOFOLD_WEBHOOK) {
                        TwofoldComponents.trustIssuer(admin, idp.issuerUrl(), AUDIENCE, idpCa.certificatePem());
                    }
                }
            }
            if (spec.authentication() == AuthenticationMode.TWOFOLD_WEBHOOK) env.awaitOidcAuthentication();
            return env;
        } catch (RuntimeException e) {
            plane.close();
            stopWhenStarted(keycloak);
            throw e instanceof CompletionException c && c.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Waits for a start still under way to end, so that a failed start leaves nothing running behind. */
    private static void stopWhenStarted(CompletableFuture<KeycloakServer> keycloak) {
        try {
            keycloak.join().close();
        } catch (CompletionException failedToStart) {
            // it stopped itself
        }
    }

    /**
     * The API server fetches the issuer's discovery document and keys in the background and rejects every token until
     * it has them; a real login that authenticates is the only proof that it is ready.
     */
    private void awaitOidcAuthentication() {
        String token = oidcLogin().directGrant(DemoUser.BOB).idToken();
        var tls = TlsContexts.trusting(controlPlane.pki().serverCa().certificatePem(), Optional.empty());
        Instant deadline = Instant.now().plus(OIDC_READY);
        int status = 0;
        try (HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpRequest whoami = HttpRequest.newBuilder(URI.create(controlPlane.url()
                            + "/apis/authentication.k8s.io/v1/selfsubjectreviews"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}")).build();
            while (Instant.now().isBefore(deadline)) {
                status = http.send(whoami, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 201 || status == 200) return;
                Thread.sleep(250);
            }
        } catch (IOException e) {
            throw new ProcessFailure("could not reach the API server to check OIDC authentication: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessFailure("interrupted while waiting for OIDC authentication", e);
        }
        throw new ProcessFailure("the API server still rejects Keycloak's tokens (HTTP " + status + ") after "
                + OIDC_READY.toSeconds() + "s; see " + controlPlane.processes().getLast().logFile());
    }

    /** The kubeconfig through which the API server calls one of Twofold's endpoints. */
    private static Path writeWebhookKubeconfig(Spec spec, String name, String url, Pki.Issued webhookCa) {
        Path file = spec.stateDir().resolve(name + ".kubeconfig");
        Pki.writePem(file, Kubeconfig.renderServerOnly(url, webhookCa.certificatePem()));
        return file;
    }

    /** Stops the IdP: an outage, for tests of what keeps working without it. */
    public void stopKeycloak() {
        keycloak.close();
    }

    /** Starts the IdP again on the same port and data (its realm and keys survive). */
    public void startKeycloak() {
        keycloak.close();
        keycloak = KeycloakServer.start(keycloakSettings);
    }

    public ControlPlane controlPlane() { return controlPlane; }
    public Optional<TwofoldComponents> twofold() { return twofold; }
    public KeycloakServer keycloak() { return keycloak; }
    public String issuerUrl() { return keycloak.issuerUrl(); }
    public String idpCaPem() { return idpCa.certificatePem(); }

    /** Logs in like a kubectl OIDC plugin does. */
    public OidcLogin oidcLogin() {
        return new OidcLogin(issuerUrl(), keycloak.sslContext(), Clock.systemUTC());
    }

    public List<ManagedProcess> processes() {
        List<ManagedProcess> all = new ArrayList<>(controlPlane.processes());
        all.add(keycloak.process());
        twofold.ifPresent(t -> all.addAll(t.processes()));
        return all;
    }

    @Override
    public void close() {
        twofold.ifPresent(TwofoldComponents::close);
        controlPlane.close();
        keycloak.close();
    }
}
