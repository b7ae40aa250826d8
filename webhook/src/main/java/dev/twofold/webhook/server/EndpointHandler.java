package dev.twofold.webhook.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one wrapper around every endpoint: routes by exact path, enforces POST, the media type and the body cap, turns
 * client errors into {@code {"error": "..."}} with a 4xx status and unexpected failures into a generic 500 (logged,
 * never echoed), and records the request's metrics.
 */
final class EndpointHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointHandler.class);

    static final String INTERNAL_ERROR = "internal error; see the Twofold webhook's log";
    /** A 429 or 503 is a replica that cannot answer now (overloaded, standing by, no CA yet); soon it may. */
    private static final String RETRY_AFTER_SECONDS = "1";
    /** What the JDK server reads of an unread request body before giving up on the connection. */
    private static final long DRAIN_BYTES = 64 * 1024;

    private final Map<String, Route> routes;
    private final WebhookMetrics metrics;
    private final JsonCodec json;
    private final long maxBodyBytes;
    private final String served;
    /**
     * Requests being answered. Past the bound, requests are turned away at once (429, which the API server retries
     * with back-off) instead of queueing until the heap runs out: under a flood a fast refusal of some requests beats
     * a process that fails every one.
     */
    private final Semaphore inFlight;
    private final byte[] overloaded;

    EndpointHandler(List<Route> routes, WebhookMetrics metrics, JsonCodec json, long maxBodyBytes, int maxInFlight) {
        this.inFlight = new Semaphore(maxInFlight);
        this.overloaded = json.error("more than " + maxInFlight + " requests in flight; ask again");
        this.routes = routes.stream().collect(Collectors.toUnmodifiableMap(Route::path, r -> r));
        this.metrics = metrics;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
        this.served = routes.stream().map(r -> "POST " + r.path()).sorted().collect(Collectors.joining(" and "));
    }

    @Override
    public void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        String path = exchange.getRequestURI().getPath();
        Route route = routes.get(path);
        String endpoint = route == null ? WebhookMetrics.UNKNOWN_ENDPOINT : route.name();
        CappedInputStream body = new CappedInputStream(exchange.getRequestBody(), maxBodyBytes);
        boolean admitted = inFlight.tryAcquire();
        Answer answer;
        try {
            answer = admitted ? answer(exchange, route, path, endpoint, body) : new Answer(429, overloaded,
                    Outcome.of(Outcome.Kind.ERROR, "overloaded"));
        } finally {
            if (admitted) {
                inFlight.release();
            }
        }
        try (exchange) {
            switch (answer.status()) {
                case 401 -> exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                case 405 -> exchange.getResponseHeaders().set("Allow", "POST");
                case 429, 503 -> exchange.getResponseHeaders().set("Retry-After", RETRY_AFTER_SECONDS);
                default -> { }
            }
            // The JDK server keeps a connection only if the request body was read to its end before the response:
            // read what is left of a small unread body (the JDK's 64 KiB drain) first; otherwise answer at once and
            // tell the client that the connection closes, so that it does not send its next request on it.
            if (drainable(exchange, body)) {
                exchange.getRequestBody().close();
            } else {
                exchange.getResponseHeaders().set("Connection", "close");
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        } catch (IOException e) {
            // The decision stands (and is counted); only the client is gone.
            LOG.atDebug().addKeyValue("endpoint", endpoint).setCause(e).log("could not send response");
        }
        metrics.record(endpoint, answer.outcome(), System.nanoTime() - start);
    }

    /** Whether what is left of the request body is known and small enough for the JDK server to drain. */
    private static boolean drainable(HttpExchange exchange, CappedInputStream body) {
        if (body.exhausted()) {
            return true;
        }
        if (exchange.getRequestHeaders().containsKey("Transfer-Encoding")) {
            return false; // chunked: the rest is of unknown length
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length == null) {
            return true; // no body at all
        }
        try {
            return Long.parseLong(length.strip()) - body.count() <= DRAIN_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** What to send: never throws, so every request is answered and counted exactly once. */
    private Answer answer(HttpExchange exchange, Route route, String path, String endpoint, CappedInputStream body) {
        try {
            Reply reply = dispatch(exchange, route, path, body);
            return new Answer(200, reply.body(), reply.outcome());
        } catch (RequestRejected e) {
            return new Answer(e.status(), json.error(e.getMessage()), Outcome.of(Outcome.Kind.ERROR, e.reason()));
        } catch (BodyTooLarge e) {
            return new Answer(413, json.error(tooLarge()), Outcome.of(Outcome.Kind.ERROR, "body_too_large"));
        } catch (IOException e) {
            // The client went away or sent a truncated body; the answer may not reach it, but try.
            LOG.atDebug().addKeyValue("endpoint", endpoint).setCause(e).log("could not read request body");
            return new Answer(400, json.error("could not read the request body"),
                    Outcome.of(Outcome.Kind.ERROR, "unreadable_body"));
        } catch (RuntimeException e) {
            LOG.atError().addKeyValue("endpoint", endpoint).setCause(e).log("request failed");
            return new Answer(500, json.error(INTERNAL_ERROR), Outcome.of(Outcome.Kind.ERROR, "internal_error"));
        }
    }

    private record Answer(int status, byte[] body, Outcome outcome) {
    }

    private Reply dispatch(HttpExchange exchange, Route route, String path, CappedInputStream body)
            throws RequestRejected, IOException {
        if (route == null) {
            throw new RequestRejected(404, "not_found", "no endpoint at " + OneLine.quote(path) + "; Twofold serves "
                    + served);
        }
        String method = exchange.getRequestMethod();
        if (!method.equals("POST")) {
            throw new RequestRejected(405, "method_not_allowed", "method " + OneLine.quote(method) + " is not "
                    + "allowed on " + route.path() + "; use POST");
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (!isMediaType(contentType, route.mediaType())) {
            throw new RequestRejected(415, "unsupported_media_type", "Content-Type must be " + route.mediaType()
                    + ", got " + OneLine.quote(contentType));
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && declaredTooLarge(length)) {
            throw new BodyTooLarge(maxBodyBytes);
        }
        return route.handler().handle(body, exchange.getRequestHeaders());
    }

    private boolean declaredTooLarge(String length) {
        try {
            return Long.parseLong(length.strip()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false; // the HTTP layer rejects a malformed Content-Length before we get here
        }
    }

    private String tooLarge() {
        return "request body exceeds " + maxBodyBytes + " bytes";
    }

    /** {@code expected}, any case, with or without parameters such as {@code charset=utf-8}. */
    static boolean isMediaType(String contentType, String expected) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return mediaType.toLowerCase(Locale.ROOT).equals(expected);
    }
}
