package dev.twofold.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twofold.webhook.testing.TestCertificates;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The serving Secret watched through the fabric8 mock API server (CRUD mode). */
class TlsSecretWatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final SecretRef REF = new SecretRef("twofold-system", "twofold-webhook-tls");
    private static final TestCertificates.Issued FIRST = TestCertificates.ec("first", Duration.ofHours(1));
    private static final TestCertificates.Issued SECOND = TestCertificates.rsa("second", Duration.ofHours(2));

    private KubernetesMockServer server;
    private KubernetesClient client;
    private final ReloadingSslContext tls = new ReloadingSslContext();
    private TlsSecretWatcher watcher;

    @BeforeEach
    void startServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        client = server.createClient();
        watcher = new TlsSecretWatcher(client, REF, tls, Clock.systemUTC());
    }

    @AfterEach
    void stopServer() {
        watcher.close();
        client.close();
        server.destroy();
    }

    private static Secret secret(String name, String certificatePem, String keyPem) {
        return new SecretBuilder().withNewMetadata().withNamespace(REF.namespace()).withName(name).endMetadata()
                .withType("kubernetes.io/tls")
                .addToData("tls.crt", base64(certificatePem))
                .addToData("tls.key", base64(keyPem))
                .build();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private void start() throws Exception {
        watcher.start().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void loadsTheCertificateOfAnExistingSecret() throws Exception {
        client.resource(secret(REF.name(), FIRST.certificatePem(), FIRST.legacyPem())).create();

        start();

        await().atMost(WAIT).until(tls::loaded);
        assertThat(tls.certificate().leaf()).isEqualTo(FIRST.certificate());
        assertThat(tls.notAfter()).isEqualTo(FIRST.certificate().getNotAfter().toInstant());
    }

    @Test
    void staysUnloadedWhileTheSecretIsMissingAndLoadsItWhenItAppears() throws Exception {
        start();
        assertThat(tls.loaded()).isFalse();
        assertThat(tls.notAfter()).isNull();

        client.resource(secret(REF.name(), FIRST.certificatePem(), FIRST.pkcs8Pem())).create();

        await().atMost(WAIT).until(tls::loaded);
    }

    @Test
    void installsARenewedCertificate() throws Exception {
        client.resource(secret(REF.name(), FIRST.certificatePem(), FIRST.pkcs8Pem())).create();
        start();
        await().atMost(WAIT).until(tls::loaded);

        client.resource(secret(REF.name(), SECOND.certificatePem(), SECOND.legacyPem())).update();

        await().atMost(WAIT).untilAsserted(() -> assertThat(tls.certificate().leaf())
                .isEqualTo(SECOND.certificate()));
    }

    @Test
    void keepsTheCurrentCertificateWhenAnUpdateIsUnusable() throws Exception {
        client.resource(secret(REF.name(), FIRST.certificatePem(), FIRST.pkcs8Pem())).create();
        start();
        await().atMost(WAIT).until(tls::loaded);

        client.resource(secret(REF.name(), SECOND.certificatePem(), FIRST.pkcs8Pem())).update();
        client.resource(secret("unrelated", SECOND.certificatePem(), SECOND.pkcs8Pem())).create();

        // The bad version is seen (and logged) but not installed; the unrelated Secret is never watched.
        await().during(Duration.ofMillis(500)).atMost(WAIT).untilAsserted(() -> assertThat(tls.certificate().leaf())
                .isEqualTo(FIRST.certificate()));
    }

    @Test
    void keepsTheCurrentCertificateWhenTheSecretIsDeleted() throws Exception {
        client.resource(secret(REF.name(), FIRST.certificatePem(), FIRST.pkcs8Pem())).create();
        start();
        await().atMost(WAIT).until(tls::loaded);

        client.secrets().inNamespace(REF.namespace()).withName(REF.name()).delete();

        await().during(Duration.ofMillis(500)).atMost(WAIT).until(tls::loaded);
    }
}
