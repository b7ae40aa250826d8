package dev.twofold.webhook.authn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/** A TokenReview carrying Twofold's answer in {@code status}. */
@JsonPropertyOrder({"apiVersion", "kind", "status"})
public record TokenReviewResponse(String apiVersion, String kind, Status status) {

    /**
     * {@code status}: either authenticated with a user (and the audiences it is valid for, when asked), or not, with
     * an error naming the reason.
     */
    @JsonPropertyOrder({"authenticated", "user", "audiences", "error"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Status(boolean authenticated, User user, List<String> audiences, String error) {
    }

    /** {@code status.user}. */
    @JsonPropertyOrder({"username", "uid", "groups", "extra"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record User(String username, String uid, List<String> groups, Map<String, List<String>> extra) {
    }
}
