package dev.twofold.webhook.server;

import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A TLS server context whose certificate can be replaced while the server runs. {@link #context()} is a stable
 * facade for the server; each {@link #install} builds a fresh JDK context for the new certificate and every new
 * connection is created from the current one. Connections already open keep theirs.
 *
 * <p>Why a fresh context rather than a key manager that swaps keys: TLS session resumption skips the certificate, and
 * the JDK's TLS 1.3 session tickets are encrypted with keys held per context; a new context cannot resume the old
 * one's sessions, so after a swap every client sees the new certificate.
 *
 * <p>Before the first install the context has no key material and handshakes fail.
 */
public final class ReloadingSslContext {

    private record Loaded(ServingCertificate certificate, SSLContext context) {
    }

    private final AtomicReference<Loaded> current;
    private final SSLContext facade;

    public ReloadingSslContext() {
        SSLContext empty = newContext(new KeyManager[0]);
        current = new AtomicReference<>(new Loaded(null, empty));
        facade = new SSLContext(new Delegating(), empty.getProvider(), empty.getProtocol()) {
        };
    }

    /** The context to give the server: it always delegates to the latest certificate's context. */
    public SSLContext context() {
        return facade;
    }

    /** Makes {@code certificate} the one new connections present. */
    public void install(ServingCertificate certificate) {
        current.set(new Loaded(certificate, newContext(new KeyManager[] {new ServingKeyManager(certificate)})));
    }

    /** The certificate new connections present, or null before the first {@link #install}. */
    public ServingCertificate certificate() {
        return current.get().certificate();
    }

    public boolean loaded() {
        return certificate() != null;
    }

    /** The current certificate's notAfter, or null before one is loaded (for the expiry gauge). */
    public Instant notAfter() {
        ServingCertificate certificate = certificate();
        return certificate == null ? null : certificate.notAfter();
    }

    private static SSLContext newContext(KeyManager[] keyManagers) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot create a TLS context", e);
        }
    }

    private final class Delegating extends SSLContextSpi {

        private SSLContext delegate() {
            return current.get().context();
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException("a reloading context gets its keys from install()");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return delegate().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return delegate().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate().getSupportedSSLParameters();
        }
    }
}
