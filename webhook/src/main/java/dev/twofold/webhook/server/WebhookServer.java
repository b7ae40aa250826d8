package dev.twofold.webhook.server;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS server the kube-apiserver calls: the JDK's {@link HttpsServer}, one virtual thread per exchange,
 * keep-alive, TLS 1.3 and 1.2 with whatever certificate the {@link SSLContext} currently serves (see
 * {@link ReloadingSslContext}).
 */
public final class WebhookServer implements AutoCloseable {

    /** The largest request body accepted: the API server's own request limit. */
    public static final long MAX_BODY_BYTES = 3L * 1024 * 1024;

    /**
     * Requests answered at once; more are refused with 429. A review takes well under a millisecond of CPU (about one
     * in flight at 4,000 reviews/s), so this bound is only reached when something stalls, and it keeps the heap
     * bounded then (an unbounded flood of /authenticate reviews once exhausted a 48 MiB heap).
     */
    public static final int MAX_IN_FLIGHT = 64;

    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
    private static final int BACKLOG = 256;

    private final HttpsServer server;
    private final ExecutorService executor;
    private final AtomicBoolean lastAnswers;

    private WebhookServer(HttpsServer server, ExecutorService executor, AtomicBoolean lastAnswers) {
        this.server = server;
        this.executor = executor;
        this.lastAnswers = lastAnswers;
    }

    /**
     * Binds {@code address} (port 0 picks a free port) and starts serving {@code routes}.
     *
     * @param tls the TLS context; every new connection's engine comes from it
     */
    public static WebhookServer start(InetSocketAddress address, SSLContext tls, List<Route> routes,
            WebhookMetrics metrics, JsonCodec json) throws IOException {
        return start(address, tls, routes, metrics, json, MAX_IN_FLIGHT);
    }

    /** {@link #start(InetSocketAddress, SSLContext, List, WebhookMetrics, JsonCodec)} with another in-flight bound. */
    public static WebhookServer start(InetSocketAddress address, SSLContext tls, List<Route> routes,
            WebhookMetrics metrics, JsonCodec json, int maxInFlight) throws IOException {
        JdkServerDefaults.apply();
        HttpsServer server = HttpsServer.create(address, BACKLOG);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = tls.getDefaultSSLParameters();
                parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                parameters.setNeedClientAuth(false);
                params.setSSLParameters(parameters);
            }
        });
        EndpointHandler endpoints = new EndpointHandler(routes, metrics, json, MAX_BODY_BYTES, maxInFlight);
        AtomicBoolean lastAnswers = new AtomicBoolean();
        server.createContext("/", exchange -> {
            if (lastAnswers.get()) {
                exchange.getResponseHeaders().set("Connection", "close");
            }
            endpoints.handle(exchange);
        });
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.start();
        return new WebhookServer(server, executor, lastAnswers);
    }

    /** The bound address (with the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Graceful stop behind a load balancer or a Service. For {@code lameDuck} the server keeps serving, but every answer
     * carries {@code Connection: close}: each keep-alive connection a client is using ends right after a complete
     * answer, and the client knows it before it sends another request, instead of racing a request against the close
     * of an idle connection (which fails the request: the API server does not retry a webhook POST). Then
     * {@link #stop(Duration) stop} with {@code inFlight}.
     */
    public void drain(Duration lameDuck, Duration inFlight) {
        lastAnswers.set(true);
        LOG.atInfo().addKeyValue("lameDuckMillis", lameDuck.toMillis())
                .log("answering with Connection: close before stopping");
        try {
            Thread.sleep(lameDuck);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop(inFlight);
    }

    /**
     * Stops accepting connections, lets in-flight exchanges finish for up to {@code drain} (rounded up to whole
     * seconds), then closes every connection.
     */
    public void stop(Duration drain) {
        long started = System.nanoTime();
        int seconds = (int) Math.min(Integer.MAX_VALUE, (drain.toMillis() + 999) / 1000);
        server.stop(seconds);
        executor.shutdownNow();
        LOG.atInfo().addKeyValue("tookMillis", (System.nanoTime() - started) / 1_000_000)
                .log("HTTPS server stopped");
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}
