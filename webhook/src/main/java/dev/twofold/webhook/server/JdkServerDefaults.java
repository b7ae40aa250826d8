package dev.twofold.webhook.server;

/**
 * Settings of the JDK's HTTP server, which reads them from system properties once, when the first server of the JVM
 * is created: so every server here calls {@link #apply()} first. A deployment's own {@code -D} flags win.
 */
final class JdkServerDefaults {

    private JdkServerDefaults() {
    }

    static void apply() {
        // Without TCP_NODELAY, a response's headers and body leave in two segments and Nagle's algorithm holds the
        // second until the client's delayed ACK: +40 ms per keep-alive request.
        setDefault("sun.net.httpserver.nodelay", "true");
        // A client that sends a request (or reads a response) slower than the API server's longest webhook timeout
        // (30 s) is not the API server: close its connection rather than hold it forever.
        setDefault("sun.net.httpserver.maxReqTime", "30");
        setDefault("sun.net.httpserver.maxRspTime", "30");
    }

    private static void setDefault(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
