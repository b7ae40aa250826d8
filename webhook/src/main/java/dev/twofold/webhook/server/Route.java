package dev.twofold.webhook.server;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * An endpoint served at an exact path.
 *
 * @param path e.g. {@code /admission/mfa}
 * @param name the metric tag, e.g. {@code admission}
 * @param mediaType the request Content-Type accepted (parameters such as {@code charset} aside), e.g.
 *     {@value #JSON}
 * @param handler the handler
 */
public record Route(String path, String name, String mediaType, Handler handler) {

    public static final String JSON = "application/json";

    /** A handler that also reads request headers, such as the caller's credentials. */
    @FunctionalInterface
    public interface Handler {

        /**
         * Answers one request; see {@link Endpoint#handle(InputStream)} for the contract.
         *
         * @param headers the request headers (case-insensitive names)
         */
        Reply handle(InputStream body, Headers headers) throws RequestRejected, IOException;
    }

    public Route {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(handler, "handler");
    }

    /** A review endpoint: JSON in, JSON out, headers ignored. */
    public Route(String path, String name, Endpoint endpoint) {
        this(path, name, JSON, (body, headers) -> endpoint.handle(body));
    }
}
