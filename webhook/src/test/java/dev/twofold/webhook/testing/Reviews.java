package dev.twofold.webhook.testing;

import java.time.Instant;

/** Realistic review bodies, as kube-apiserver 1.35 sends them (including the fields Twofold ignores). */
public final class Reviews {

    /** The fixed "now" of every decision test: 2026-01-01T12:00:00Z. */
    public static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    /** Password + TOTP, authenticated ten minutes before {@link #NOW}. */
    public static final String MFA_EXTRA = """
            {"twofold.dev/amr": ["pwd", "otp"], "twofold.dev/auth-time": ["1767268200"],
             "twofold.dev/iss": ["https://idp.example.com/realms/twofold"],
             "authentication.kubernetes.io/credential-id": ["JTI=7c0b9d0e"]}""";

    /** Password only. */
    public static final String PASSWORD_EXTRA = """
            {"twofold.dev/amr": ["pwd"], "twofold.dev/auth-time": ["1767268200"],
             "twofold.dev/iss": ["https://idp.example.com/realms/twofold"]}""";

    /** No evidence at all (e.g. a static token). */
    public static final String NO_EXTRA = "{}";

    private Reviews() {
    }

    /** An AdmissionReview around {@code request} (a JSON object body). */
    public static String admissionReview(String request) {
        return """
                {"kind": "AdmissionReview", "apiVersion": "admission.k8s.io/v1", "request": %s}""".formatted(request);
    }

    public static String userInfo(String user, String groups, String extra) {
        return """
                {"username": "%s", "uid": "4f2c8d1e-%s", "groups": %s, "extra": %s}""".formatted(user,
                Integer.toHexString(user.hashCode()), groups, extra);
    }

    /** {@code kubectl exec -it web-0 -n demo -- sh} by {@code user}. */
    public static String execConnect(String uid, String user, String extra) {
        return admissionReview("""
                {
                  "uid": "%s",
                  "kind": {"group": "", "version": "v1", "kind": "PodExecOptions"},
                  "resource": {"group": "", "version": "v1", "resource": "pods"},
                  "subResource": "exec",
                  "requestKind": {"group": "", "version": "v1", "kind": "PodExecOptions"},
                  "requestResource": {"group": "", "version": "v1", "resource": "pods"},
                  "requestSubResource": "exec",
                  "name": "web-0",
                  "namespace": "demo",
                  "operation": "CONNECT",
                  "userInfo": %s,
                  "object": {"kind": "PodExecOptions", "apiVersion": "v1", "stdin": true, "stdout": true,
                             "tty": true, "container": "web", "command": ["sh"]},
                  "oldObject": null,
                  "dryRun": false,
                  "options": null
                }""".formatted(uid, userInfo(user, "[\"oidc:developers\", \"system:authenticated\"]", extra)));
    }

    /** {@code kubectl create clusterrolebinding ...} by {@code user}, optionally as a server-side dry run. */
    public static String clusterRoleBindingCreate(String uid, String user, String extra, boolean dryRun) {
        return admissionReview("""
                {
                  "uid": "%s",
                  "kind": {"group": "rbac.authorization.k8s.io", "version": "v1", "kind": "ClusterRoleBinding"},
                  "resource": {"group": "rbac.authorization.k8s.io", "version": "v1",
                               "resource": "clusterrolebindings"},
                  "requestKind": {"group": "rbac.authorization.k8s.io", "version": "v1", "kind": "ClusterRoleBinding"},
                  "requestResource": {"group": "rbac.authorization.k8s.io", "version": "v1",
                                      "resource": "clusterrolebindings"},
                  "name": "alice-admin",
                  "operation": "CREATE",
                  "userInfo": %s,
                  "object": {
                    "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                    "metadata": {"name": "alice-admin", "creationTimestamp": null},
                    "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                                "name": "cluster-admin"},
                    "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice"}]
                  },
                  "oldObject": null,
                  "dryRun": %s,
                  "options": {"kind": "CreateOptions", "apiVersion": "meta.k8s.io/v1", "fieldManager": "kubectl-create"}
                }""".formatted(uid, userInfo(user, "[\"oidc:developers\", \"system:authenticated\"]", extra),
                dryRun));
    }

    /** {@code kubectl create secret generic db-password -n demo ...}: no policy covers secret writes. */
    public static String secretCreate(String uid, String user, String extra) {
        return admissionReview("""
                {
                  "uid": "%s",
                  "kind": {"group": "", "version": "v1", "kind": "Secret"},
                  "resource": {"group": "", "version": "v1", "resource": "secrets"},
                  "name": "db-password",
                  "namespace": "demo",
                  "operation": "CREATE",
                  "userInfo": %s,
                  "object": {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                             "metadata": {"name": "db-password", "namespace": "demo"},
                             "data": {"password": "aHVudGVyMg=="}},
                  "oldObject": null,
                  "dryRun": false
                }""".formatted(uid, userInfo(user, "[\"oidc:developers\", \"system:authenticated\"]", extra)));
    }

    /** {@code kubectl edit configmap app-config -n <namespace>} (an UPDATE). */
    public static String configMapUpdate(String uid, String namespace, String user, String extra) {
        return admissionReview("""
                {
                  "uid": "%s",
                  "kind": {"group": "", "version": "v1", "kind": "ConfigMap"},
                  "resource": {"group": "", "version": "v1", "resource": "configmaps"},
                  "name": "app-config",
                  "namespace": "%s",
                  "operation": "UPDATE",
                  "userInfo": %s,
                  "object": {"apiVersion": "v1", "kind": "ConfigMap",
                             "metadata": {"name": "app-config", "namespace": "%s", "resourceVersion": "812"},
                             "data": {"LOG_LEVEL": "debug"}},
                  "oldObject": {"apiVersion": "v1", "kind": "ConfigMap",
                                "metadata": {"name": "app-config", "namespace": "%s", "resourceVersion": "811"},
                                "data": {"LOG_LEVEL": "info"}},
                  "dryRun": false
                }""".formatted(uid, namespace, userInfo(user, "[\"oidc:developers\", \"system:authenticated\"]",
                extra), namespace, namespace));
    }

    /** A SubjectAccessReview for a resource request. */
    public static String resourceSar(String user, String extra, String resourceAttributes) {
        return """
                {
                  "apiVersion": "authorization.k8s.io/v1",
                  "kind": "SubjectAccessReview",
                  "metadata": {"creationTimestamp": null},
                  "spec": {
                    "resourceAttributes": %s,
                    "user": "%s",
                    "groups": ["oidc:developers", "system:authenticated"],
                    "extra": %s,
                    "uid": "4f2c8d1e-77aa"
                  },
                  "status": {"allowed": false}
                }""".formatted(resourceAttributes, user, extra);
    }

    /** {@code kubectl get secret db-password -n demo}. */
    public static String secretGet(String user, String extra) {
        return resourceSar(user, extra, """
                {"namespace": "demo", "verb": "get", "group": "", "version": "v1", "resource": "secrets",
                 "name": "db-password"}""");
    }

    /** The API server checking {@code Impersonate-Extra-twofold.dev%2Famr} for {@code user}. */
    public static String impersonateExtra(String user, String key) {
        return resourceSar(user, NO_EXTRA, """
                {"verb": "impersonate", "group": "authentication.k8s.io", "resource": "userextras",
                 "subresource": "%s", "name": "otp"}""".formatted(key));
    }
}
