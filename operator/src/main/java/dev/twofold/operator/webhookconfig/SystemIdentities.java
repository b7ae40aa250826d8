package dev.twofold.operator.webhookconfig;

/**
 * The identities the API server should not send to the webhook unless a policy names them, mirroring the crds
 * module's subject matching: service accounts, nodes, control-plane components ({@code system:kube-*}) and the API
 * server's loopback client. {@code system:masters} is deliberately not among them (DESIGN §4).
 */
final class SystemIdentities {

    static final String NODES = "system:nodes";
    static final String SERVICE_ACCOUNTS = "system:serviceaccounts";
    static final String SERVICE_ACCOUNT_USER_PREFIX = "system:serviceaccount:";
    static final String NODE_USER_PREFIX = "system:node:";
    static final String KUBE_USER_PREFIX = "system:kube-";
    static final String APISERVER_USER = "system:apiserver";

    private SystemIdentities() {
    }

    static boolean isSystemUser(String user) {
        return user.startsWith(SERVICE_ACCOUNT_USER_PREFIX) || user.startsWith(NODE_USER_PREFIX)
                || user.startsWith(KUBE_USER_PREFIX) || user.equals(APISERVER_USER);
    }

    static boolean isSystemGroup(String group) {
        return group.equals(NODES) || group.equals(SERVICE_ACCOUNTS) || group.startsWith(SERVICE_ACCOUNTS + ":");
    }
}
