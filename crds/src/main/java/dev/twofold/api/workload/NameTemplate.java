package dev.twofold.api.workload;

import java.util.ArrayList;
import java.util.List;

/**
 * The shared syntax of identity templates: literal text with {@code {{placeholder}}}s. Which literal characters are
 * allowed, and where, is up to {@link SpiffeIdTemplate} and {@link DnsNameTemplate}.
 */
final class NameTemplate {

    static final int MAX_LABEL_PREFIX = 253;
    static final int MAX_LABEL_NAME = 63;

    /** A piece of a template. */
    sealed interface Part permits Literal, Placeholder {
    }

    /** Text copied as is. */
    record Literal(String text) implements Part {
    }

    /** A value of the pod; {@code labelKey} is set for {@link Variable#POD_LABEL} only. */
    record Placeholder(Variable variable, String labelKey) implements Part {
    }

    /** The placeholders templates may use. */
    enum Variable {
        TRUST_DOMAIN("trustDomain"), NAMESPACE("namespace"), SERVICE_ACCOUNT("serviceAccount"),
        POD_NAME("podName"), NODE_NAME("nodeName"), POD_LABEL("podLabel.");

        final String spelling;

        Variable(String spelling) {
            this.spelling = spelling;
        }
    }

    private NameTemplate() {
    }

    /** The parts of {@code template}; rejects unknown placeholders, unclosed braces and stray braces. */
    static List<Part> parse(String template) throws TemplateException {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf("{{", i);
            int literalEnd = open < 0 ? template.length() : open;
            if (literalEnd > i) {
                String literal = template.substring(i, literalEnd);
                if (literal.indexOf('{') >= 0 || literal.indexOf('}') >= 0) {
                    throw new TemplateException("has a brace outside a {{placeholder}}");
                }
                parts.add(new Literal(literal));
            }
            if (open < 0) {
                break;
            }
            int close = template.indexOf("}}", open + 2);
            if (close < 0) {
                throw new TemplateException("has an unclosed {{");
            }
            parts.add(placeholder(template.substring(open + 2, close)));
            i = close + 2;
        }
        return List.copyOf(parts);
    }

    private static Placeholder placeholder(String name) throws TemplateException {
        for (Variable variable : Variable.values()) {
            if (variable != Variable.POD_LABEL && variable.spelling.equals(name)) {
                return new Placeholder(variable, null);
            }
        }
        if (name.startsWith(Variable.POD_LABEL.spelling)) {
            String key = name.substring(Variable.POD_LABEL.spelling.length());
            if (!isLabelKey(key)) {
                throw new TemplateException("has an invalid label key in {{" + Text.clip(name) + "}}");
            }
            return new Placeholder(Variable.POD_LABEL, key);
        }
        throw new TemplateException("has an unknown placeholder {{" + Text.clip(name) + "}}; known are "
                + "trustDomain, namespace, serviceAccount, podName, nodeName and podLabel.<key>");
    }

    /** The text of {@code parts} for {@code values}; fails when a referenced pod label is missing. */
    static String render(List<Part> parts, TemplateValues values) throws TemplateException {
        StringBuilder out = new StringBuilder(64);
        for (Part part : parts) {
            switch (part) {
                case Literal literal -> out.append(literal.text());
                case Placeholder placeholder -> out.append(value(placeholder, values));
            }
        }
        return out.toString();
    }

    private static String value(Placeholder placeholder, TemplateValues values) throws TemplateException {
        return switch (placeholder.variable()) {
            case TRUST_DOMAIN -> values.trustDomain();
            case NAMESPACE -> values.namespace();
            case SERVICE_ACCOUNT -> values.serviceAccount();
            case POD_NAME -> values.podName();
            case NODE_NAME -> values.nodeName();
            case POD_LABEL -> {
                String value = values.podLabels().get(placeholder.labelKey());
                if (value == null) {
                    throw new TemplateException("pod " + values.namespace() + "/" + values.podName()
                            + " has no label " + placeholder.labelKey());
                }
                yield value;
            }
        };
    }

    /** Kubernetes label key: optional DNS-subdomain prefix and {@code /}, then a name of at most 63 characters. */
    static boolean isLabelKey(String key) {
        int slash = key.lastIndexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > MAX_LABEL_PREFIX || !DnsNames.isSubdomain(prefix)) {
                return false;
            }
        }
        if (name.isEmpty() || name.length() > MAX_LABEL_NAME || !isAlnum(name.charAt(0))
                || !isAlnum(name.charAt(name.length() - 1))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAlnum(c) && c != '-' && c != '_' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
