package dev.twofold.api.policy;

import dev.twofold.api.v1alpha1.Subjects;
import java.util.List;
import java.util.Set;

/**
 * Who a policy applies to. A request is in scope when
 * <ol>
 *   <li>users and groups are both empty (every authenticated human), or its user is in users, or one of its groups is
 *       in groups; and
 *   <li>neither its user is in excludeUsers nor any of its groups in excludeGroups; and
 *   <li>it is not a system identity, unless the policy names it explicitly. System identities are service accounts
 *       (user {@code system:serviceaccount:*} or group {@code system:serviceaccounts}), nodes (user
 *       {@code system:node:*} or group {@code system:nodes}), control-plane components (user {@code system:kube-*})
 *       and the API server's own loopback client (user {@code system:apiserver}, which reconciles bootstrap RBAC).
 *       Named explicitly means: the user name is in users, or one of the request's groups that is itself
 *       {@code system:serviceaccounts}, {@code system:serviceaccounts:<namespace>} or {@code system:nodes} is in
 *       groups. Broad groups such as {@code system:authenticated} do not count, so listing them never pulls
 *       controllers and kubelets into an MFA policy.
 * </ol>
 * {@code system:masters} is deliberately not a system identity: admission is enforced on it (DESIGN §4).
 */
final class SubjectMatcher {

  private final boolean everyone;
  private final Set<String> users;
  private final Set<String> groups;
  private final Set<String> excludeUsers;
  private final Set<String> excludeGroups;

  SubjectMatcher(Subjects subjects) {
    users = Set.copyOf(subjects.users());
    groups = Set.copyOf(subjects.groups());
    excludeUsers = Set.copyOf(subjects.excludeUsers());
    excludeGroups = Set.copyOf(subjects.excludeGroups());
    everyone = users.isEmpty() && groups.isEmpty();
  }

  boolean matches(String user, List<String> requestGroups) {
    boolean userListed = users.contains(user);
    if (!everyone && !userListed && !anyIn(requestGroups, groups)) {
      return false;
    }
    if (excludeUsers.contains(user) || anyIn(requestGroups, excludeGroups)) {
      return false;
    }
    if (isSystemIdentity(user, requestGroups)) {
      return userListed || namesSystemGroup(requestGroups);
    }
    return true;
  }

  private boolean namesSystemGroup(List<String> requestGroups) {
    for (int i = 0, n = requestGroups.size(); i < n; i++) {
      String group = requestGroups.get(i);
      if (isSystemGroup(group) && groups.contains(group)) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyIn(List<String> values, Set<String> set) {
    if (set.isEmpty()) {
      return false;
    }
    for (int i = 0, n = values.size(); i < n; i++) {
      if (set.contains(values.get(i))) {
        return true;
      }
    }
    return false;
  }

  static boolean isSystemIdentity(String user, List<String> requestGroups) {
    if (user.startsWith("system:")
        && (user.startsWith("system:serviceaccount:") || user.startsWith("system:node:")
            || user.startsWith("system:kube-") || user.equals("system:apiserver"))) {
      return true;
    }
    for (int i = 0, n = requestGroups.size(); i < n; i++) {
      if (isSystemGroup(requestGroups.get(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isSystemGroup(String group) {
    return group.startsWith("system:") && (group.equals("system:serviceaccounts") || group.equals("system:nodes")
        || group.startsWith("system:serviceaccounts:"));
  }
}
