package dev.twofold.webhook.oidc;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLSocketFactory;

/**
 * Fetches an issuer's discovery document and keys: https only (nimbus' retriever also opens {@code file:} URLs), no
 * redirects (a redirect could lead anywhere), bounded size and time, and TLS trusting the OidcIssuer's CA bundle when
 * it has one, the system trust store otherwise. Never trust-all.
 */
final class HttpsRetriever extends DefaultResourceRetriever {

    static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    static final int READ_TIMEOUT_MILLIS = 3_000;
    static final int SIZE_LIMIT_BYTES = 256 * 1024;

    HttpsRetriever(SSLSocketFactory socketFactory) {
        super(CONNECT_TIMEOUT_MILLIS, READ_TIMEOUT_MILLIS, SIZE_LIMIT_BYTES, true, socketFactory);
    }

    /** A retriever trusting {@code caPem}, or the system trust store when it is {@code null}. */
    static HttpsRetriever trusting(String caPem) throws GeneralSecurityException {
        return new HttpsRetriever(caPem == null ? null : TrustBundle.socketFactory(caPem));
    }

    /**
     * A fetch failure in one line. The JDK reports a 404 as a {@link FileNotFoundException} whose message is only the
     * URL, which reads like no error at all in a status condition.
     */
    static String describe(IOException e) {
        if (e instanceof FileNotFoundException) {
            return "HTTP 404 Not Found";
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }

    @Override
    public Resource retrieveResource(URL url) throws IOException {
        if (!"https".equals(url.getProtocol())) {
            throw new IOException("only https URLs are fetched, not " + url.getProtocol());
        }
        return super.retrieveResource(url);
    }

    @Override
    protected HttpURLConnection openHTTPConnection(URL url) throws IOException {
        HttpURLConnection connection = super.openHTTPConnection(url);
        connection.setInstanceFollowRedirects(false);
        connection.setRequestProperty("Accept", "application/json");
        return connection;
    }
}
