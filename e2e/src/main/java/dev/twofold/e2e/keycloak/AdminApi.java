package dev.twofold.e2e.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Keycloak's admin REST API as the bootstrap administrator: a token from the master realm's {@code admin-cli}
 * client (password grant), then JSON requests under {@code /admin/realms}. Tokens of that client live one minute,
 * so one is fetched per {@link AdminApi} and a fresh one on 401.
 */
public final class AdminApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI baseUrl;
    private final AdminCredentials credentials;
    private final HttpClient http;
    private String token;

    /** {@code baseUrl} is the server root, e.g. {@code https://127.0.0.1:8443}. */
    public AdminApi(URI baseUrl, SSLContext tls, AdminCredentials credentials) {
        this.baseUrl = baseUrl;
        this.credentials = credentials;
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** GET; empty on 404. */
    public Optional<JsonNode> get(String path) {
        HttpResponse<String> response = send("GET", path, null);
        if (response.statusCode() == 404) return Optional.empty();
        return Optional.ofNullable(parse(response, "GET", path));
    }

    /** POST a JSON body; returns the response body parsed, or null when empty (Keycloak answers 201 with nothing). */
    public JsonNode post(String path, JsonNode body) {
        return parse(send("POST", path, body), "POST", path);
    }

    public void put(String path, JsonNode body) {
        parse(send("PUT", path, body), "PUT", path);
    }

    public void delete(String path) {
        send("DELETE", path, null);
    }

    private HttpResponse<String> send(String method, String path, JsonNode body) {
        HttpResponse<String> response = sendOnce(method, path, body);
        if (response.statusCode() == 401) { // the token expired between requests
            token = null;
            response = sendOnce(method, path, body);
        }
        if (response.statusCode() >= 400 && response.statusCode() != 404) {
            throw new KeycloakApiError(method + " " + path + " failed: HTTP " + response.statusCode() + " " + response.body(),
                    response.statusCode());
        }
        return response;
    }

    private HttpResponse<String> sendOnce(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token())
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        return exchange(request.build(), method + " " + path);
    }

    private String token() {
        if (token != null) return token;
        String path = "/realms/master/protocol/openid-connect/token";
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(new UrlEncodedForm(Map.of("grant_type", "password", "client_id", "admin-cli",
                        "username", credentials.username(), "password", credentials.password())).body())
                .build();
        HttpResponse<String> response = exchange(request, "admin login");
        if (response.statusCode() != 200) {
            throw new KeycloakApiError("Keycloak refused the admin login of " + credentials.username() + ": HTTP "
                    + response.statusCode() + " " + response.body()
                    + " (the admin is created only with an empty database; was this state directory started with other credentials?)",
                    response.statusCode());
        }
        token = parse(response, "POST", path).path("access_token").asText();
        return token;
    }

    private HttpResponse<String> exchange(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new KeycloakApiError(what + " at " + baseUrl + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeycloakApiError("interrupted during " + what, e);
        }
    }

    private static JsonNode parse(HttpResponse<String> response, String method, String path) {
        if (response.body() == null || response.body().isBlank()) return null;
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new KeycloakApiError(method + " " + path + " answered with something other than JSON: " + response.body(), e);
        }
    }
}
