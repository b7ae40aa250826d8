package dev.twofold.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofold.api.v1alpha1.TrustDomain;
import dev.twofold.api.v1alpha1.TrustDomainSpec;
import dev.twofold.api.v1alpha1.TrustDomainStatus;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which TrustDomain updates reach the reconciler: spec changes and new rotation requests, nothing else. */
class SpecOrRotationRequestChangedTest {

    static TrustDomain trustDomain(long generation, Map<String, String> annotations, TrustDomainStatus status) {
        TrustDomain trustDomain = TrustDomain.of("td", new TrustDomainSpec("td.example", null, null, null, null,
                null));
        trustDomain.getMetadata().setGeneration(generation);
        trustDomain.getMetadata().setAnnotations(annotations);
        trustDomain.setStatus(status);
        return trustDomain;
    }

    static Stream<Arguments> updates() {
        TrustDomain base = trustDomain(1, Map.of("team", "a"), null);
        TrustDomainStatus status = new TrustDomainStatus(1L, List.of(), null, null, null);
        return Stream.of(
                Arguments.of("a spec change (new generation) is reconciled", base,
                        trustDomain(2, Map.of("team", "a"), null), true),
                Arguments.of("a first rotation request is reconciled", base,
                        trustDomain(1, Map.of("team", "a", TrustDomain.ROTATE_CA_ANNOTATION, "r1"), null), true),
                Arguments.of("a new rotation request is reconciled",
                        trustDomain(1, Map.of(TrustDomain.ROTATE_CA_ANNOTATION, "r1"), null),
                        trustDomain(1, Map.of(TrustDomain.ROTATE_CA_ANNOTATION, "r2"), null), true),
                Arguments.of("the same request, only padded, is not",
                        trustDomain(1, Map.of(TrustDomain.ROTATE_CA_ANNOTATION, "r1"), null),
                        trustDomain(1, Map.of(TrustDomain.ROTATE_CA_ANNOTATION, " r1 "), null), false),
                Arguments.of("a status write is not", base, trustDomain(1, Map.of("team", "a"), status), false),
                Arguments.of("another annotation is not", base, trustDomain(1, Map.of("team", "b"), null), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("updates")
    void filters(String description, TrustDomain old, TrustDomain updated, boolean accepted) {
        assertThat(new TrustDomainReconciler.SpecOrRotationRequestChanged().accept(updated, old)).isEqualTo(accepted);
    }
}
