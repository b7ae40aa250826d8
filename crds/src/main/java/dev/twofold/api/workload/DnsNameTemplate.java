package dev.twofold.api.workload;

import dev.twofold.api.workload.NameTemplate.Literal;
import dev.twofold.api.workload.NameTemplate.Part;
import java.util.List;
import java.util.Optional;

/**
 * A policy's DNS SAN template, confined to its namespace's service names: it must end with
 * {@value #SVC_SUFFIX} or {@value #CLUSTER_LOCAL_SUFFIX} (namespace names are unique, so no namespace can name
 * another's services). Rendering checks the result again.
 */
public final class DnsNameTemplate {

    public static final String SVC_SUFFIX = ".{{namespace}}.svc";
    public static final String CLUSTER_LOCAL_SUFFIX = ".{{namespace}}.svc.cluster.local";

    private final String text;
    private final List<Part> parts;

    private DnsNameTemplate(String text, List<Part> parts) {
        this.text = text;
        this.parts = parts;
    }

    /** Parses and checks {@code template}. */
    public static DnsNameTemplate parse(String template) throws TemplateException {
        if (template == null || !(template.endsWith(SVC_SUFFIX) || template.endsWith(CLUSTER_LOCAL_SUFFIX))
                || template.equals(SVC_SUFFIX) || template.equals(CLUSTER_LOCAL_SUFFIX)) {
            throw new TemplateException("must be <name>" + SVC_SUFFIX + " or <name>" + CLUSTER_LOCAL_SUFFIX
                    + "; got " + Text.quoted(template));
        }
        if (template.length() > DnsNames.MAX_NAME) {
            throw new TemplateException("must be at most " + DnsNames.MAX_NAME + " characters");
        }
        List<Part> parts = NameTemplate.parse(template);
        for (Part part : parts) {
            if (part instanceof Literal(String literal)) {
                for (int i = 0; i < literal.length(); i++) {
                    char c = literal.charAt(i);
                    if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' && c != '.') {
                        throw new TemplateException("may only use a-z, 0-9, '-', '.' and placeholders; got "
                                + Text.quoted(String.valueOf(c)));
                    }
                }
                if (literal.contains("..")) {
                    throw new TemplateException("must not have empty labels ('..')");
                }
            }
        }
        return new DnsNameTemplate(template, parts);
    }

    /** The DNS name for {@code values}, checked: a valid lower-case DNS name among the namespace's services. */
    public String render(TemplateValues values) throws TemplateException {
        String name = NameTemplate.render(parts, values);
        Optional<String> problem = confinementProblem(name, values.namespace());
        if (problem.isPresent()) {
            throw new TemplateException("renders to " + Text.quoted(name) + ", which " + problem.get());
        }
        return name;
    }

    /**
     * What is wrong with {@code name} as a DNS SAN of a workload of {@code namespace}, or empty: it must be a
     * lower-case RFC 1123 subdomain ending with {@code .<namespace>.svc} or {@code .<namespace>.svc.cluster.local}.
     */
    public static Optional<String> confinementProblem(String name, String namespace) {
        if (!DnsNames.isSubdomain(name)) {
            return Optional.of("is not a lower-case DNS name (labels of a-z, 0-9, '-', at most 63 characters each, "
                    + "253 in all)");
        }
        if (!name.endsWith("." + namespace + ".svc") && !name.endsWith("." + namespace + ".svc.cluster.local")) {
            return Optional.of("is not a service name of namespace " + namespace);
        }
        return Optional.empty();
    }

    /** The template text. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
