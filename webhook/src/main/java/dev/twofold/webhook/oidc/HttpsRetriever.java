package dev.twofold.webhook.oidc;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
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
