package dev.twofold.e2e.controlplane;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/** Renders kubeconfig files for the local API server: one cluster, one user, one context. */
public final class Kubeconfig {
    private Kubeconfig() {}

    /** How the user authenticates. */
    public sealed interface Credentials {
        /** An X.509 client certificate (CN = user, O = groups). */
        record ClientCertificate(String certificatePem, String privateKeyPem) implements Credentials {}
        /** A bearer token, e.g. an OIDC ID token or a service-account token. */
        record BearerToken(String token) implements Credentials {}
        /** An exec credential plugin, as kubelogin is used: kubectl runs it for a token when it needs one. */
        record ExecPlugin(String command, List<String> args) implements Credentials {}
    }

    public static String render(String server, String serverCaPem, String user, Credentials credentials) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: twofold
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: %s
                  user:
                %s
                contexts:
                - name: %s@twofold
                  context:
                    cluster: twofold
                    user: %s
                current-context: %s@twofold
                """.formatted(server, b64(serverCaPem), user, userBlock(credentials), user, user, user);
    }

    /** A kubeconfig naming only a server and its CA: how the API server is told where a webhook is. */
    public static String renderServerOnly(String server, String serverCaPem) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: webhook
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: kube-apiserver
                  user: {}
                contexts:
                - name: webhook
                  context:
                    cluster: webhook
                    user: kube-apiserver
                current-context: webhook
                """.formatted(server, b64(serverCaPem));
    }

    private static String userBlock(Credentials credentials) {
        String block = switch (credentials) {
            case Credentials.ClientCertificate c -> "client-certificate-data: " + b64(c.certificatePem())
                    + "\nclient-key-data: " + b64(c.privateKeyPem());
            case Credentials.BearerToken t -> "token: " + t.token();
            case Credentials.ExecPlugin e -> """
                    exec:
                      apiVersion: client.authentication.k8s.io/v1
                      command: %s
                      args: [%s]
                      interactiveMode: Never
                      provideClusterInfo: false""".formatted(e.command(),
                    e.args().stream().map(a -> '"' + a + '"').collect(Collectors.joining(", ")));
        };
        return block.indent(4).stripTrailing();
    }

    public static void write(Path file, String kubeconfig) {
        dev.twofold.e2e.pki.Pki.writePrivate(file, kubeconfig);
    }

    private static String b64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
