package dev.twofold.e2e.keycloak;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code application/x-www-form-urlencoded}: request bodies and query strings, both ways. */
record UrlEncodedForm(Map<String, String> fields) {
    UrlEncodedForm {
        fields = new LinkedHashMap<>(fields); // keeps the caller's order, which makes logged URLs readable
    }

    static UrlEncodedForm parse(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) return new UrlEncodedForm(fields);
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            fields.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return new UrlEncodedForm(fields);
    }

    String encoded() {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    HttpRequest.BodyPublisher body() {
        return HttpRequest.BodyPublishers.ofString(encoded());
    }
}
