package dev.twofold.api.policy;

import java.util.List;

/** Builds the denial and audit texts; the format is documented on {@link Decision}. */
final class Messages {

  private Messages() {
  }

  static String denial(CompiledPolicy policy, RequestAttributes request, List<Missing> missing, List<String> others) {
    StringBuilder out = new StringBuilder(256).append("Twofold: MfaPolicy \"").append(Text.oneLine(policy.name()))
        .append("\" requires a second factor for ");
    appendRequest(out, request);
    appendMissing(out, missing);
    appendOthers(out, others);
    return out.append(" Step up: ").append(policy.stepUpHint()).toString();
  }

  static String auditWarning(CompiledPolicy policy, RequestAttributes request, List<Missing> missing,
      List<String> others) {
    StringBuilder out = new StringBuilder(192)
        .append("Twofold audit: MfaPolicy \"").append(Text.oneLine(policy.name())).append("\" would deny ");
    appendRequest(out, request);
    appendMissing(out, missing);
    appendOthers(out, others);
    return out.toString();
  }

  /** {@code <verb> <resource>[.<group>][/<subresource>] (in namespace <ns>|at cluster scope)}. */
  private static void appendRequest(StringBuilder out, RequestAttributes request) {
    out.append(Text.oneLine(request.verb())).append(' ').append(Text.oneLine(request.resource()));
    if (!request.apiGroup().isEmpty()) {
      out.append('.').append(Text.oneLine(request.apiGroup()));
    }
    if (!request.subresource().isEmpty()) {
      out.append('/').append(Text.oneLine(request.subresource()));
    }
    if (request.clusterScoped()) {
      out.append(" at cluster scope");
    } else {
      out.append(" in namespace ").append(Text.oneLine(request.namespace()));
    }
  }

  private static void appendMissing(StringBuilder out, List<Missing> missing) {
    out.append(": ");
    for (int i = 0; i < missing.size(); i++) {
      if (i > 0) {
        out.append("; ");
      }
      out.append(missing.get(i).describe());
    }
    out.append('.');
  }

  private static void appendOthers(StringBuilder out, List<String> others) {
    if (others.isEmpty()) {
      return;
    }
    out.append(" Also failing: MfaPolicy ");
    for (int i = 0; i < others.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      out.append('"').append(Text.oneLine(others.get(i))).append('"');
    }
    out.append('.');
  }
}
