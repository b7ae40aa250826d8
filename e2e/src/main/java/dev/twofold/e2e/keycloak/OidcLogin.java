package dev.twofold.e2e.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * Gets tokens from the {@code twofold} realm the way kubectl's OIDC plugins do: a password grant (with the
 * {@code totp} parameter Keycloak's direct-grant flow reads), or an authorization-code login with PKCE that fills in
 * Keycloak's login pages like a user would. Only the browser flow yields {@code auth_time}, so freshness scenarios
 * need the second.
 */
public final class OidcLogin {
    /** Loopback, as kubelogin uses. Nothing listens there: the login stops at the redirect and reads the code from it. */
    public static final String REDIRECT_URI = "http://127.0.0.1:8000/callback";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_PAGES = 10;
    private static final String LOGIN_FORM = "kc-form-login";
    private static final String OTP_FORM = "kc-otp-login-form";
    // Keycloak's login pages are server-rendered HTML; a couple of patterns find what a user would look at.
    private static final Pattern FORM = Pattern.compile("<form\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ACTION = Pattern.compile("\\baction=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern FIELD_ERROR = Pattern.compile(
            "<span[^>]*\\bid=\"input-error[^\"]*\"[^>]*>(.*?)</span>", Pattern.DOTALL);
    private static final Pattern ALERT = Pattern.compile(
            "<span[^>]*\\bclass=\"[^\"]*kc-feedback-text[^\"]*\"[^>]*>(.*?)</span>", Pattern.DOTALL);
    private static final Pattern TITLE = Pattern.compile("<title>(.*?)</title>", Pattern.DOTALL);
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);");

    private final String issuer;
    private final SSLContext tls;
    private final Clock clock;
    private final HttpClient http;
    private final SecureRandom random = new SecureRandom();
    private Endpoints endpoints;

    private record Endpoints(URI authorization, URI token) {}

    /** {@code clock} decides the TOTP codes sent and the expiry recorded in {@link Tokens}. */
    public OidcLogin(String issuerUrl, SSLContext tls, Clock clock) {
        this.issuer = issuerUrl;
        this.tls = tls;
        this.clock = clock;
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Password grant, with the current TOTP code when the user has an authenticator. */
    public Tokens directGrant(DemoUser user) {
        return directGrant(user, user.totp().map(t -> t.codeAt(clock.instant())));
    }

    /** Password grant with the given OTP code (or none): for tests of wrong and missing codes. */
    public Tokens directGrant(DemoUser user, Optional<String> otp) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", TwofoldRealm.CLIENT_ID);
        form.put("scope", "openid");
        form.put("username", user.username());
        form.put("password", user.password());
        otp.ifPresent(code -> form.put("totp", code));
        return tokenRequest("password grant", user.username(), form);
    }

    /** An authorization-code login in a browser of its own (so the user always types password and code). */
    public Tokens authorizationCodeLogin(DemoUser user, Map<String, String> extraParams) {
        try (BrowserSession browser = newBrowserSession()) {
            return authorizationCodeLogin(browser, user, extraParams);
        }
    }

    /**
     * An authorization-code login in {@code browser}: the authorization request (PKCE S256, state, nonce, plus
     * {@code extraParams} such as {@code max_age} or {@code prompt}), then whichever login pages Keycloak shows
     * (password, OTP; none while the browser's SSO session is good enough), up to the redirect with the code, which is
     * redeemed at the token endpoint.
     */
    public Tokens authorizationCodeLogin(BrowserSession browser, DemoUser user, Map<String, String> extraParams) {
        String flow = "authorization-code login";
        String verifier = randomToken(32);
        String state = randomToken(16);
        String nonce = randomToken(16);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", TwofoldRealm.CLIENT_ID);
        query.put("redirect_uri", REDIRECT_URI);
        query.put("scope", "openid");
        query.put("state", state);
        query.put("nonce", nonce);
        query.put("code_challenge", s256(verifier));
        query.put("code_challenge_method", "S256");
        query.putAll(extraParams);

        HttpResponse<String> response = browser.get(URI.create(endpoints().authorization() + "?" + new UrlEncodedForm(query).encoded()));
        boolean passwordSent = false;
        boolean otpSent = false;
        for (int page = 0; page < MAX_PAGES; page++) {
            int status = response.statusCode();
            if (status == 302 || status == 303) {
                URI location = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
                if (location.toString().startsWith(REDIRECT_URI)) {
                    return redeem(flow, user, location, state, nonce, verifier);
                }
                response = browser.get(location);
                continue;
            }
            if (status != 200) {
                throw new LoginRejected(flow, user.username(), "http_" + status, pageMessage(response.body()));
            }
            String html = response.body();
            Optional<URI> loginForm = formAction(html, LOGIN_FORM);
            Optional<URI> otpForm = formAction(html, OTP_FORM);
            if (loginForm.isPresent()) {
                if (passwordSent) throw new LoginRejected(flow, user.username(), "login_page", pageMessage(html));
                passwordSent = true;
                response = browser.postForm(loginForm.get(), Map.of(
                        "username", user.username(), "password", user.password(), "credentialId", ""));
            } else if (otpForm.isPresent()) {
                if (otpSent) throw new LoginRejected(flow, user.username(), "login_page", pageMessage(html));
                Totp totp = user.totp().orElseThrow(() -> new LoginRejected(flow, user.username(), "otp_required",
                        "Keycloak asks for an OTP code, but the user has no TOTP secret"));
                otpSent = true;
                response = browser.postForm(otpForm.get(), Map.of("otp", totp.codeAt(clock.instant())));
            } else {
                throw new LoginRejected(flow, user.username(), "unexpected_page", pageMessage(html));
            }
        }
        throw new LoginRejected(flow, user.username(), "too_many_pages", "no redirect to " + REDIRECT_URI + " after " + MAX_PAGES + " pages");
    }

    /** The refresh-token grant: new tokens for the same session (and so the same {@code auth_time}). */
    public Tokens refresh(String username, Tokens tokens) {
        String refreshToken = tokens.refreshToken()
                .orElseThrow(() -> new IllegalArgumentException("these tokens came without a refresh token"));
        return tokenRequest("refresh", username, Map.of(
                "grant_type", "refresh_token", "client_id", TwofoldRealm.CLIENT_ID, "refresh_token", refreshToken));
    }

    public BrowserSession newBrowserSession() {
        return new BrowserSession(tls);
    }

    private Tokens redeem(String flow, DemoUser user, URI callback, String state, String nonce, String verifier) {
        Map<String, String> params = UrlEncodedForm.parse(callback.getRawQuery()).fields();
        if (params.containsKey("error")) {
            throw new LoginRejected(flow, user.username(), params.get("error"), params.getOrDefault("error_description", ""));
        }
        if (!state.equals(params.get("state"))) {
            throw new IllegalStateException("the redirect carries state " + params.get("state") + ", not the one sent");
        }
        if (params.containsKey("iss") && !issuer.equals(params.get("iss"))) { // RFC 9207 mix-up defence
            throw new IllegalStateException("the redirect names issuer " + params.get("iss") + ", not " + issuer);
        }
        Tokens tokens = tokenRequest(flow, user.username(), Map.of(
                "grant_type", "authorization_code", "client_id", TwofoldRealm.CLIENT_ID, "code", params.get("code"),
                "redirect_uri", REDIRECT_URI, "code_verifier", verifier));
        String returnedNonce = tokens.idTokenClaims().path("nonce").asText();
        if (!nonce.equals(returnedNonce)) {
            throw new IllegalStateException("the ID token carries nonce " + returnedNonce + ", not the one sent");
        }
        return tokens;
    }

    private Tokens tokenRequest(String flow, String username, Map<String, String> form) {
        HttpRequest request = HttpRequest.newBuilder(endpoints().token()).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(new UrlEncodedForm(form).body()).build();
        HttpResponse<String> response = send(request);
        JsonNode body = json(response);
        if (response.statusCode() != 200) {
            throw new LoginRejected(flow, username, body.path("error").asText("http_" + response.statusCode()),
                    body.path("error_description").asText(""));
        }
        if (!body.hasNonNull("id_token")) {
            throw new IllegalStateException("the token response has no id_token (was scope=openid dropped?)");
        }
        return new Tokens(body.path("id_token").asText(), body.path("access_token").asText(),
                Optional.ofNullable(body.path("refresh_token").textValue()),
                clock.instant().plusSeconds(body.path("expires_in").asLong()));
    }

    /** Discovery, once: the endpoints, and a check that the server calls itself by the issuer we were given. */
    private synchronized Endpoints endpoints() {
        if (endpoints != null) return endpoints;
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                .timeout(TIMEOUT).build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("no OIDC discovery document at " + issuer + ": HTTP " + response.statusCode());
        }
        JsonNode discovery = json(response);
        if (!issuer.equals(discovery.path("issuer").asText())) {
            throw new IllegalStateException("the discovery document names issuer " + discovery.path("issuer").asText()
                    + ", not " + issuer);
        }
        endpoints = new Endpoints(URI.create(discovery.path("authorization_endpoint").asText()),
                URI.create(discovery.path("token_endpoint").asText()));
        return endpoints;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + request.method() + " " + request.uri(), e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("HTTP " + response.statusCode() + " from " + response.uri()
                    + " is not JSON: " + response.body(), e);
        }
    }

    private static Optional<URI> formAction(String html, String formId) {
        Matcher form = FORM.matcher(html);
        while (form.find()) {
            String tag = form.group();
            if (!tag.contains("id=\"" + formId + "\"")) continue;
            Matcher action = ACTION.matcher(tag);
            if (action.find()) return Optional.of(URI.create(unescape(action.group(1))));
        }
        return Optional.empty();
    }

    /** What the page tells the user: the field error or alert if there is one, else the page title. */
    private static String pageMessage(String html) {
        for (Pattern p : new Pattern[] {FIELD_ERROR, ALERT, TITLE}) {
            Matcher m = p.matcher(html == null ? "" : html);
            if (m.find()) return unescape(m.group(1).replaceAll("<[^>]*>", "").strip());
        }
        return "(an empty page)";
    }

    private static String unescape(String html) {
        return ENTITY.matcher(html).replaceAll(m -> Matcher.quoteReplacement(switch (m.group(1)) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            default -> {
                String number = m.group(1).substring(1);
                int codePoint = number.startsWith("x") ? Integer.parseInt(number.substring(1), 16) : Integer.parseInt(number);
                yield Character.toString(codePoint);
            }
        }));
    }

    private String randomToken(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
