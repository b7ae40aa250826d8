package dev.twofold.api.policy;

import java.util.List;
import java.util.Map;

/**
 * What a request does and who makes it, in the vocabulary shared by SubjectAccessReview and AdmissionReview.
 * {@code null}s become empty values. {@code groups} and {@code namespaceLabels} are not copied (this runs per
 * request): pass collections nobody mutates afterwards.
 *
 * @param user the authenticated user name
 * @param groups the user's groups
 * @param verb the lower-case Kubernetes verb: the authorization verb ({@code get}, {@code create}, ...) or, for
 *     admission, the operation in lower case ({@code create}, {@code update}, {@code delete}, {@code connect})
 * @param apiGroup the API group, {@code ""} for the core group
 * @param resource the resource (plural), e.g. {@code pods}; empty for non-resource requests, which match no policy
 * @param subresource e.g. {@code exec}; empty when none
 * @param namespace the namespace; empty for cluster-scoped requests (for a Namespace object, its own name)
 * @param namespaceLabels the labels of {@code namespace}, supplied by the caller (e.g. from an informer cache);
 *     empty when the namespace is unknown, so NotIn and DoesNotExist requirements then match
 * @param name the object name, may be empty
 */
public record RequestAttributes(String user, List<String> groups, String verb, String apiGroup, String resource,
    String subresource, String namespace, Map<String, String> namespaceLabels, String name) {

  public RequestAttributes {
    user = user == null ? "" : user;
    groups = groups == null ? List.of() : groups;
    verb = verb == null ? "" : verb;
    apiGroup = apiGroup == null ? "" : apiGroup;
    resource = resource == null ? "" : resource;
    subresource = subresource == null ? "" : subresource;
    namespace = namespace == null ? "" : namespace;
    namespaceLabels = namespaceLabels == null ? Map.of() : namespaceLabels;
    name = name == null ? "" : name;
  }

  /** True for requests without a namespace; such requests are in scope of every namespace selector. */
  public boolean clusterScoped() {
    return namespace.isEmpty();
  }
}
