package dev.twofold.webhook.server;

import java.io.IOException;

/** The request body is longer than the server accepts; answered with 413. */
public final class BodyTooLarge extends IOException {

    private static final long serialVersionUID = 1L;

    public BodyTooLarge(long limit) {
        super("request body exceeds " + limit + " bytes");
    }
}
