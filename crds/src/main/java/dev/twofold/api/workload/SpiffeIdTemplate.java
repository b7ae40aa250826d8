package dev.twofold.api.workload;

import dev.twofold.api.workload.NameTemplate.Literal;
import dev.twofold.api.workload.NameTemplate.Part;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A policy's SPIFFE ID template, confined to its namespace and service account: it must start with
 * {@value #REQUIRED_PREFIX} and may only add path segments. Rendering checks the result again (confinement, SPIFFE ID
 * syntax), so a placeholder value can never move an ID out of {@code spiffe://<td>/ns/<ns>/sa/<sa>}.
 */
public final class SpiffeIdTemplate {

    public static final String REQUIRED_PREFIX = "spiffe://{{trustDomain}}/ns/{{namespace}}/sa/{{serviceAccount}}";
    /** SPIFFE IDs are at most 2048 bytes (SPIFFE-ID §2.3); ours are ASCII, so characters. */
    public static final int MAX_LENGTH = 2048;

    private final String text;
    private final List<Part> parts;

    private SpiffeIdTemplate(String text, List<Part> parts) {
        this.text = text;
        this.parts = parts;
    }

    /** Parses and checks {@code template}. */
    public static SpiffeIdTemplate parse(String template) throws TemplateException {
        if (template == null || !template.startsWith(REQUIRED_PREFIX)) {
            throw new TemplateException("must start with " + REQUIRED_PREFIX + "; got " + Text.quoted(template));
        }
        if (template.length() > MAX_LENGTH) {
            throw new TemplateException("must be at most " + MAX_LENGTH + " characters");
        }
        String suffix = template.substring(REQUIRED_PREFIX.length());
        if (!suffix.isEmpty() && suffix.charAt(0) != '/') {
            throw new TemplateException("may only add path segments after " + REQUIRED_PREFIX + "; got "
                    + Text.quoted(template));
        }
        List<Part> suffixParts = NameTemplate.parse(suffix);
        checkSegments(suffixParts);
        List<Part> parts = new ArrayList<>(NameTemplate.parse(REQUIRED_PREFIX));
        parts.addAll(suffixParts);
        return new SpiffeIdTemplate(template, List.copyOf(parts));
    }

    /** Every literal character is a SPIFFE path character or '/', no segment is empty, '.' or '..'. */
    private static void checkSegments(List<Part> parts) throws TemplateException {
        // Walk segment by segment: a segment is whatever lies between two literal slashes.
        StringBuilder segmentLiteral = new StringBuilder();
        boolean segmentHasPlaceholder = false;
        boolean inSegment = false;
        for (Part part : parts) {
            if (part instanceof Literal(String literal)) {
                for (int i = 0; i < literal.length(); i++) {
                    char c = literal.charAt(i);
                    if (c == '/') {
                        if (inSegment) {
                            checkSegment(segmentLiteral, segmentHasPlaceholder);
                        }
                        segmentLiteral.setLength(0);
                        segmentHasPlaceholder = false;
                        inSegment = true;
                    } else if (isPathCharacter(c)) {
                        segmentLiteral.append(c);
                    } else {
                        throw new TemplateException("may only use letters, digits, '.', '_', '-' and placeholders "
                                + "in path segments; got " + Text.quoted(String.valueOf(c)));
                    }
                }
            } else {
                segmentHasPlaceholder = true;
            }
        }
        if (inSegment) {
            checkSegment(segmentLiteral, segmentHasPlaceholder);
        }
    }

    private static void checkSegment(StringBuilder literal, boolean hasPlaceholder) throws TemplateException {
        if (!hasPlaceholder) {
            if (literal.isEmpty()) {
                throw new TemplateException("must not have empty path segments ('//' or a trailing '/')");
            }
            if (literal.toString().equals(".") || literal.toString().equals("..")) {
                throw new TemplateException("must not have '.' or '..' path segments");
            }
        }
    }

    /** The SPIFFE ID for {@code values}, checked: confined to the pod's namespace and service account, well-formed. */
    public String render(TemplateValues values) throws TemplateException {
        String id = NameTemplate.render(parts, values);
        Optional<String> problem = confinementProblem(id, values.trustDomain(), values.namespace(),
                values.serviceAccount());
        if (problem.isPresent()) {
            throw new TemplateException("renders to " + Text.quoted(id) + ", which " + problem.get());
        }
        return id;
    }

    /** The template text. */
    public String text() {
        return text;
    }

    /** {@code spiffe://<trustDomain>/ns/<namespace>/sa/<serviceAccount>}, the ID every template extends. */
    public static String baseId(String trustDomain, String namespace, String serviceAccount) {
        return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }

    /**
     * What is wrong with {@code id} as the SPIFFE ID of a workload of {@code namespace}/{@code serviceAccount} in
     * {@code trustDomain}, or empty when nothing is: it must be {@link #baseId} or extend it by path segments of
     * letters, digits, '.', '_', '-' (not '.' or '..'), within {@value #MAX_LENGTH} characters.
     */
    public static Optional<String> confinementProblem(String id, String trustDomain, String namespace,
            String serviceAccount) {
        String base = baseId(trustDomain, namespace, serviceAccount);
        if (id.length() > MAX_LENGTH) {
            return Optional.of("is longer than " + MAX_LENGTH + " characters");
        }
        if (!id.startsWith(base) || (id.length() > base.length() && id.charAt(base.length()) != '/')) {
            return Optional.of("is not inside " + base);
        }
        int start = base.length();
        while (start < id.length()) {
            int end = id.indexOf('/', start + 1);
            end = end < 0 ? id.length() : end;
            String segment = id.substring(start + 1, end);
            if (segment.isEmpty()) {
                return Optional.of("has an empty path segment");
            }
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("has a '.' or '..' path segment");
            }
            for (int i = 0; i < segment.length(); i++) {
                if (!isPathCharacter(segment.charAt(i))) {
                    return Optional.of("has a character outside letters, digits, '.', '_', '-' in a path segment");
                }
            }
            start = end;
        }
        return Optional.empty();
    }

    private static boolean isPathCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }

    @Override
    public String toString() {
        return text;
    }
}
