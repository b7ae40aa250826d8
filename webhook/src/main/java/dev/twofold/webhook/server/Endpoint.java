package dev.twofold.webhook.server;

import java.io.IOException;
import java.io.InputStream;

/** One review endpoint: reads a request body, answers with a review response. HTTP concerns stay in the server. */
@FunctionalInterface
public interface Endpoint {

    /**
     * Answers one review.
     *
     * @param body the request body, already capped in size (reading past the cap throws {@link BodyTooLarge})
     * @throws RequestRejected when the body is not an acceptable review (a client error)
     * @throws IOException when the body cannot be read
     */
    Reply handle(InputStream body) throws RequestRejected, IOException;
}
