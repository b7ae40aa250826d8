package dev.twofold.webhook.oidc;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.text.ParseException;
import java.util.Map;

/**
 * OpenID Connect discovery: {@code <issuer>/.well-known/openid-configuration}, whose {@code issuer} must equal the
 * configured URL exactly (a mix-up defence, OIDC Discovery §4.3) and whose {@code jwks_uri} must be https.
 */
final class Discovery {

    static final String WELL_KNOWN = "/.well-known/openid-configuration";

    private Discovery() {
    }

    /** The issuer's key set URL, from its discovery document. */
    static URL jwksUri(String issuer, ResourceRetriever retriever) throws DiscoveryFailed {
        // OIDC Discovery §4: a trailing slash of the issuer is dropped before appending the well-known path.
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        Map<String, Object> document;
        try {
            Resource resource = retriever.retrieveResource(URI.create(base + WELL_KNOWN).toURL());
            document = JSONObjectUtils.parse(resource.getContent());
        } catch (IOException e) {
            throw new DiscoveryFailed("cannot fetch " + base + WELL_KNOWN + ": " + HttpsRetriever.describe(e));
        } catch (ParseException e) {
            throw new DiscoveryFailed("the discovery document is not a JSON object");
        }
        if (!(document.get("issuer") instanceof String named) || !named.equals(issuer)) {
            throw new DiscoveryFailed("the discovery document names issuer "
                    + Untrusted.quote(String.valueOf(document.get("issuer"))) + ", not " + issuer);
        }
        if (!(document.get("jwks_uri") instanceof String jwks)) {
            throw new DiscoveryFailed("the discovery document has no jwks_uri");
        }
        try {
            URI uri = new URI(jwks);
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new DiscoveryFailed("jwks_uri " + Untrusted.quote(jwks) + " is not an https URL");
            }
            return uri.toURL();
        } catch (URISyntaxException | IllegalArgumentException | IOException e) {
            throw new DiscoveryFailed("jwks_uri " + Untrusted.quote(jwks) + " is not a valid URL");
        }
    }
}
