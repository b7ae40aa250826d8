package dev.twofold.api.workload;

/** DNS name syntax as Kubernetes uses it (RFC 1123 subdomains, lower case). */
public final class DnsNames {

    public static final int MAX_NAME = 253;
    public static final int MAX_LABEL = 63;

    private DnsNames() {
    }

    /** Lower-case RFC 1123 subdomain: dot-separated labels of a-z, 0-9 and inner '-', at most 253 characters. */
    public static boolean isSubdomain(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
            return false;
        }
        int start = 0;
        while (true) {
            int dot = name.indexOf('.', start);
            int end = dot < 0 ? name.length() : dot;
            if (!isLabel(name, start, end)) {
                return false;
            }
            if (dot < 0) {
                return true;
            }
            start = dot + 1;
        }
    }

    /** Lower-case RFC 1123 label: a-z, 0-9 and inner '-', 1 to 63 characters. */
    public static boolean isLabel(String name) {
        return name != null && isLabel(name, 0, name.length());
    }

    private static boolean isLabel(String name, int start, int end) {
        int length = end - start;
        if (length < 1 || length > MAX_LABEL || name.charAt(start) == '-' || name.charAt(end - 1) == '-') {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-') {
                return false;
            }
        }
        return true;
    }
}
