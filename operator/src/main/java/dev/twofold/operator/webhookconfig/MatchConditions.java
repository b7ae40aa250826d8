package dev.twofold.operator.webhookconfig;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.stream.Collectors;

/**
 * The webhook's {@code matchConditions}: the API server skips the call (and so cannot fail closed) for kubelets,
 * service accounts and control-plane components, unless a policy in force names them. This keeps controllers and
 * kubelets working when the webhook is down, and matches what the webhook would decide anyway (such identities are
 * never in a policy's scope unless named, see the crds module's subject matching).
 *
 * <p>Each condition must be true for the call to happen:
 * <ul>
 *   <li>{@value #NODES}: {@code !('system:nodes' in request.userInfo.groups)}, or the user is a named node user;
 *       dropped when a policy names the group {@code system:nodes};
 *   <li>{@value #SERVICE_ACCOUNTS}: not in {@code system:serviceaccounts}, or the user is a named service account,
 *       or one of its groups is a named {@code system:serviceaccounts:<namespace>}; dropped when a policy names
 *       {@code system:serviceaccounts};
 *   <li>{@value #CONTROL_PLANE}: the user is neither {@code system:kube-*} nor {@code system:apiserver}, or is named.
 * </ul>
 */
public final class MatchConditions {

    public static final String NODES = "not-a-node";
    public static final String SERVICE_ACCOUNTS = "not-a-service-account";
    public static final String CONTROL_PLANE = "not-a-control-plane-component";

    private static final String USER = "request.userInfo.username";
    private static final String GROUPS = "request.userInfo.groups";

    private MatchConditions() {
    }

    /** The conditions for the named system users and groups of the policies in force. */
    public static List<MatchCondition> render(SortedSet<String> namedUsers, SortedSet<String> namedGroups) {
        List<MatchCondition> out = new ArrayList<>();
        if (!namedGroups.contains(SystemIdentities.NODES)) {
            out.add(condition(NODES, "!(" + literal(SystemIdentities.NODES) + " in " + GROUPS + ")"
                    + userIn(namedUsers, SystemIdentities.NODE_USER_PREFIX)));
        }
        if (!namedGroups.contains(SystemIdentities.SERVICE_ACCOUNTS)) {
            List<String> namespaceGroups = namedGroups.stream()
                    .filter(g -> g.startsWith(SystemIdentities.SERVICE_ACCOUNTS + ":")).toList();
            String expression = "!(" + literal(SystemIdentities.SERVICE_ACCOUNTS) + " in " + GROUPS + ")"
                    + userIn(namedUsers, SystemIdentities.SERVICE_ACCOUNT_USER_PREFIX);
            if (!namespaceGroups.isEmpty()) {
                expression += " || " + GROUPS + ".exists(g, g in " + list(namespaceGroups) + ")";
            }
            out.add(condition(SERVICE_ACCOUNTS, expression));
        }
        List<String> namedComponents = namedUsers.stream()
                .filter(u -> u.startsWith(SystemIdentities.KUBE_USER_PREFIX)
                        || u.equals(SystemIdentities.APISERVER_USER))
                .toList();
        String expression = "!(" + USER + ".startsWith(" + literal(SystemIdentities.KUBE_USER_PREFIX) + ") || "
                + USER + " == " + literal(SystemIdentities.APISERVER_USER) + ")";
        if (!namedComponents.isEmpty()) {
            expression += " || " + USER + " in " + list(namedComponents);
        }
        out.add(condition(CONTROL_PLANE, expression));
        return out;
    }

    private static String userIn(SortedSet<String> namedUsers, String prefix) {
        List<String> users = namedUsers.stream().filter(u -> u.startsWith(prefix)).toList();
        return users.isEmpty() ? "" : " || " + USER + " in " + list(users);
    }

    private static MatchCondition condition(String name, String expression) {
        MatchCondition condition = new MatchCondition();
        condition.setName(name);
        condition.setExpression(expression);
        return condition;
    }

    private static String list(List<String> values) {
        return values.stream().map(MatchConditions::literal).collect(Collectors.joining(", ", "[", "]"));
    }

    /** A CEL single-quoted string literal; quotes, backslashes and control characters are escaped. */
    static String literal(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\'' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('\'').toString();
    }
}
