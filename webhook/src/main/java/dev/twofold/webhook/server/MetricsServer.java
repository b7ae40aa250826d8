package dev.twofold.webhook.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The plain-HTTP operations port: {@code /metrics} (Prometheus text), {@code /healthz} (the process serves) and
 * {@code /readyz} (200 when {@link Readiness} holds, else 503 listing what does not).
 */
public final class MetricsServer implements AutoCloseable {

    private static final String TEXT = "text/plain; charset=utf-8";

    private record Page(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static MetricsServer start(InetSocketAddress address, PrometheusMeterRegistry registry,
            Readiness readiness) throws IOException {
        JdkServerDefaults.apply();
        HttpServer server = HttpServer.create(address, 16);
        serve(server, "/metrics", () -> new Page(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        serve(server, "/healthz", () -> new Page(200, TEXT, "ok\n"));
        serve(server, "/readyz", () -> {
            List<String> unmet = readiness.unmet();
            return unmet.isEmpty() ? new Page(200, TEXT, "ok\n")
                    : new Page(503, TEXT, "not ready: " + String.join("; ", unmet) + "\n");
        });
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.start();
        return new MetricsServer(server, executor);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void serve(HttpServer server, String path, Supplier<Page> page) {
        server.createContext(path, exchange -> {
            try (exchange) {
                // The JDK routes by prefix; only the exact path is served.
                boolean exact = exchange.getRequestURI().getPath().equals(path);
                send(exchange, exact ? page.get() : new Page(404, TEXT, "not found\n"));
            }
        });
    }

    private static void send(HttpExchange exchange, Page page) throws IOException {
        byte[] bytes = page.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", page.contentType());
        exchange.sendResponseHeaders(page.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
