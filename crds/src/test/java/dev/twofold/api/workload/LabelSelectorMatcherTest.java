package dev.twofold.api.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link LabelSelectorMatcher} with Kubernetes semantics, and {@link TtlBounds}. */
class LabelSelectorMatcherTest {

    static final LabelSelector SELECTOR = new LabelSelectorBuilder()
            .addToMatchLabels("app", "web")
            .addNewMatchExpression().withKey("tier").withOperator("In").withValues("front", "edge").endMatchExpression()
            .addNewMatchExpression().withKey("env").withOperator("NotIn").withValues("dev").endMatchExpression()
            .addNewMatchExpression().withKey("team").withOperator("Exists").endMatchExpression()
            .addNewMatchExpression().withKey("legacy").withOperator("DoesNotExist").endMatchExpression()
            .build();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("every requirement holds", Map.of("app", "web", "tier", "edge", "team", "a"), true),
                Arguments.of("NotIn holds when the key is absent", Map.of("app", "web", "tier", "front", "team", "a"),
                        true),
                Arguments.of("matchLabels needs the exact value", Map.of("app", "api", "tier", "edge", "team", "a"),
                        false),
                Arguments.of("In needs one of the values", Map.of("app", "web", "tier", "back", "team", "a"), false),
                Arguments.of("NotIn fails on a listed value",
                        Map.of("app", "web", "tier", "edge", "team", "a", "env", "dev"), false),
                Arguments.of("Exists needs the key", Map.of("app", "web", "tier", "edge"), false),
                Arguments.of("DoesNotExist needs its absence",
                        Map.of("app", "web", "tier", "edge", "team", "a", "legacy", ""), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("selectors match like Kubernetes'")
    void matches(String description, Map<String, String> labels, boolean expected) {
        assertThat(LabelSelectorMatcher.compile(SELECTOR).matches(labels)).isEqualTo(expected);
    }

    @Test
    @DisplayName("absent and empty selectors select everything, including objects without labels")
    void emptySelectsAll() {
        assertThat(LabelSelectorMatcher.compile(null).matches(null)).isTrue();
        assertThat(LabelSelectorMatcher.compile(new LabelSelector()).matches(Map.of("a", "b"))).isTrue();
    }

    @Test
    @DisplayName("an unknown operator does not compile")
    void unknownOperator() {
        LabelSelector selector = new LabelSelectorBuilder().addNewMatchExpression().withKey("a").withOperator("Gt")
                .withValues("1").endMatchExpression().build();

        assertThatThrownBy(() -> LabelSelectorMatcher.compile(selector))
                .hasMessage("unknown label selector operator Gt");
    }

    @Test
    @DisplayName("ttl bounds clamp into [min, max] and default when absent")
    void ttlBounds() {
        TtlBounds bounds = new TtlBounds(Duration.ofMinutes(10), Duration.ofHours(24), Duration.ofHours(1));

        assertThat(bounds.clamp(null)).isEqualTo(Duration.ofHours(1));
        assertThat(bounds.clamp(Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(10));
        assertThat(bounds.clamp(Duration.ofHours(48))).isEqualTo(Duration.ofHours(24));
        assertThat(bounds.clamp(Duration.ofHours(2))).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> new TtlBounds(Duration.ofHours(2), Duration.ofHours(1), Duration.ofHours(1)))
                .hasMessage("need min <= default <= max, got 2h, 1h, 1h");
    }
}
