package dev.twofold.e2e.controlplane;

import dev.twofold.e2e.pki.Pki;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

/**
 * The local cluster's trust material, written under {@code <state>/pki}: a server CA (the API server's serving
 * certificate), a client CA (users and nodes authenticate with certificates it signs: CN = user, O = groups) and
 * the service-account token signing key.
 */
public record ClusterPki(Path dir, Pki.Issued serverCa, Pki.Issued clientCa, Pki.Issued apiserverServing,
                         KeyPair serviceAccountKey) {
    private static final Duration LIFETIME = Duration.ofDays(30);

    public static ClusterPki createIn(Path dir) {
        Pki.Issued serverCa = Pki.newCa("twofold-local-server-ca", LIFETIME).writeTo(dir, "server-ca");
        Pki.Issued clientCa = Pki.newCa("twofold-local-client-ca", LIFETIME).writeTo(dir, "client-ca");
        Pki.Issued serving = Pki.newServingCert(serverCa, "kube-apiserver", LIFETIME,
                "kubernetes", "kubernetes.default", "kubernetes.default.svc").writeTo(dir, "apiserver");
        KeyPair sa = Pki.newKeyPair();
        Pki.writePrivate(dir.resolve("sa.key"), Pki.privateKeyPem(sa.getPrivate()));
        Pki.writePem(dir.resolve("sa.pub"), Pki.pem(sa.getPublic()));
        return new ClusterPki(dir, serverCa, clientCa, serving, sa);
    }

    /** A client certificate for {@code user} in {@code groups}, e.g. {@code system:node:node-a} in {@code system:nodes}. */
    public Pki.Issued clientCertificate(String user, List<String> groups) {
        return Pki.newClientCert(clientCa, user, groups, LIFETIME);
    }

    public Path file(String name) { return dir.resolve(name); }
}
