package dev.twofold.operator.workload.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofold.api.v1alpha1.KeyType;
import dev.twofold.api.v1alpha1.TrustDomain;
import dev.twofold.operator.workload.Keys;
import dev.twofold.operator.workload.WorkloadIdentity;
import dev.twofold.operator.workload.Workloads;
import dev.twofold.operator.workload.ca.CaFactory;
import dev.twofold.operator.workload.ca.CertificateAuthority;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issued certificates in a real mutual-TLS handshake (JDK TLS 1.3 over loopback), each side trusting only the trust
 * bundle: workloads of one trust domain authenticate each other by SPIFFE ID; a certificate from another trust
 * domain's CA is refused.
 */
class MutualTlsTest {

    static final char[] PASSWORD = "changeit".toCharArray();
    // Real time: the JDK's trust manager checks validity against the system clock.
    final Clock clock = Clock.systemUTC();
    final CaFactory factory = new CaFactory(clock, new SecureRandom());
    final CertificateAuthority prod = factory.selfSigned("prod.example.com", Duration.ofDays(30));
    final CertificateAuthority other = factory.selfSigned("other.example.com", Duration.ofDays(30));
    final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    @DisplayName("two workloads of one trust domain complete a handshake and see each other's SPIFFE ID")
    void mutualTls() throws Exception {
        Credential server = issue(prod, "api", Keys.p256(), KeyType.ECDSAP256);
        Credential client = issue(prod, "web", Keys.ed25519(), KeyType.ED25519);

        try (SSLServerSocket listener = serverSocket(server, prod.certificate())) {
            Future<String> served = executor.submit(() -> serveOnce(listener));
            try (SSLSocket socket = clientSocket(client, prod.certificate(), listener.getLocalPort())) {
                socket.startHandshake();
                X509Certificate serverCertificate = (X509Certificate) socket.getSession().getPeerCertificates()[0];
                OutputStream out = socket.getOutputStream();
                out.write("hello\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                String answer = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8)).readLine();

                assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
                assertThat(spiffeId(serverCertificate)).isEqualTo("spiffe://prod.example.com/ns/demo/sa/api");
                assertThat(answer).isEqualTo("hello from spiffe://prod.example.com/ns/demo/sa/web");
            }
            assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo("spiffe://prod.example.com/ns/demo/sa/web");
        }
    }

    @Test
    @DisplayName("a client certificate from another trust domain's CA is refused by the server")
    void foreignClient() throws Exception {
        Credential server = issue(prod, "api", Keys.p256(), KeyType.ECDSAP256);
        Credential intruder = issue(other, "web", Keys.freshP256(), KeyType.ECDSAP256);

        try (SSLServerSocket listener = serverSocket(server, prod.certificate())) {
            Future<String> served = executor.submit(() -> serveOnce(listener));
            // A well-behaved client would send no certificate (the server names the CAs it accepts); this one insists.
            try (SSLSocket socket = (SSLSocket) insistingContext(intruder, prod.certificate()).getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                socket.setSoTimeout(10_000);
                // TLS 1.3: the client may finish its side before the server's alert arrives; reading surfaces it.
                assertThatThrownBy(() -> {
                    socket.startHandshake();
                    socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
                    socket.getOutputStream().flush();
                    if (socket.getInputStream().read() < 0) {
                        throw new IOException("closed without an answer");
                    }
                }).isInstanceOf(IOException.class);
            }
            assertThatThrownBy(() -> served.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(SSLException.class)
                    .hasMessageContaining("PKIX path building failed");
        }
    }

    @Test
    @DisplayName("a server certificate from another trust domain's CA is refused by the client")
    void foreignServer() throws Exception {
        Credential impostor = issue(other, "api", Keys.freshP256(), KeyType.ECDSAP256);
        Credential client = issue(prod, "web", Keys.p256(), KeyType.ECDSAP256);

        try (SSLServerSocket listener = serverSocket(impostor, other.certificate())) {
            executor.submit(() -> serveOnce(listener));
            try (SSLSocket socket = clientSocket(client, prod.certificate(), listener.getLocalPort())) {
                assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLException.class)
                        .hasMessageContaining("PKIX path building failed");
            }
        }
    }

    /** A key and its issued chain. */
    record Credential(KeyPair keys, List<X509Certificate> chain) {
    }

    Credential issue(CertificateAuthority ca, String serviceAccount, KeyPair keys, KeyType type) throws Exception {
        TrustDomain trustDomain = TrustDomain.of("td", Workloads.trustDomainSpec("trustDomain: "
                + ca.certificate().getSubjectAlternativeNames().iterator().next().get(1).toString()
                .substring("spiffe://".length())));
        WorkloadIdentity identity = new WorkloadIdentity("demo", serviceAccount, serviceAccount + "-0", "uid",
                "node-1", Map.of("app", serviceAccount));
        WorkloadIssuer issuer = new WorkloadIssuer(clock, new SecureRandom(), JcaCaSigner.jdk(new SecureRandom()),
                CertificateProfileValidator.bouncyCastle());
        IssuedCertificate issued = issuer.issue(new IssuanceRequest(new VerifiedPublicKey(keys.getPublic(), type),
                identity, Workloads.policy("keyTypes: [ECDSAP256, ED25519]\ndnsNameTemplates: "
                        + "[\"{{serviceAccount}}.{{namespace}}.svc\"]"), trustDomain, ca, RequestedLifetime.ANY));
        return new Credential(keys, issued.chain());
    }

    SSLServerSocket serverSocket(Credential credential, X509Certificate trustBundle) throws Exception {
        SSLServerSocket listener = (SSLServerSocket) context(credential, trustBundle).getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        listener.setNeedClientAuth(true);
        listener.setEnabledProtocols(new String[] {"TLSv1.3"});
        listener.setSoTimeout(10_000);
        return listener;
    }

    SSLSocket clientSocket(Credential credential, X509Certificate trustBundle, int port) throws Exception {
        SSLSocket socket = (SSLSocket) context(credential, trustBundle).getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), port);
        socket.setEnabledProtocols(new String[] {"TLSv1.3"});
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Accepts one connection, answers one line with the client's SPIFFE ID, returns that ID. */
    static String serveOnce(SSLServerSocket listener) throws IOException, CertificateParsingException {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
            socket.startHandshake();
            String id = spiffeId((X509Certificate) socket.getSession().getPeerCertificates()[0]);
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            socket.getOutputStream().write((line + " from " + id + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return id;
        }
    }

    /** Each side holds its own key and chain and trusts only the bundle; SPIFFE authorizes by ID, not host name. */
    static SSLContext context(Credential credential, X509Certificate trustBundle) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("workload", credential.keys().getPrivate(), PASSWORD,
                credential.chain().toArray(new Certificate[0]));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("bundle", trustBundle);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), new SecureRandom());
        return context;
    }

    /** Like {@link #context}, but the client presents its certificate whatever CAs the server asks for. */
    static SSLContext insistingContext(Credential credential, X509Certificate trustBundle) throws Exception {
        X509Certificate[] chain = credential.chain().toArray(new X509Certificate[0]);
        X509KeyManager insisting = new X509KeyManager() {
            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[] {"workload"};
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return "workload";
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return chain;
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return credential.keys().getPrivate();
            }
        };
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("bundle", trustBundle);
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(new KeyManager[] {insisting}, trustManagers.getTrustManagers(), new SecureRandom());
        return context;
    }

    static String spiffeId(X509Certificate certificate) throws CertificateParsingException {
        return certificate.getSubjectAlternativeNames().stream().filter(name -> (Integer) name.get(0) == 6)
                .map(name -> (String) name.get(1)).findFirst().orElseThrow();
    }
}
