package dev.twofold.webhook.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes at most {@code limit} bytes through and throws {@link BodyTooLarge} on the first byte beyond: bodies are
 * parsed while streaming, so a chunked body without Content-Length is capped too, without buffering it.
 */
final class CappedInputStream extends FilterInputStream {

    private final long limit;
    private long count;
    private boolean exhausted;

    CappedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        } else {
            exhausted = true;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        } else if (n < 0) {
            exhausted = true;
        }
        return n;
    }

    /** Bytes read so far. */
    long count() {
        return count;
    }

    /** Whether the end of the body was reached. */
    boolean exhausted() {
        return exhausted;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    private void count(long n) throws BodyTooLarge {
        count += n;
        if (count > limit) {
            throw new BodyTooLarge(limit);
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
