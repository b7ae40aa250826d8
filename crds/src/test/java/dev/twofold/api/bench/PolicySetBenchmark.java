package dev.twofold.api.bench;

import dev.twofold.api.policy.Compilation;
import dev.twofold.api.policy.CompiledPolicy;
import dev.twofold.api.policy.Decision;
import dev.twofold.api.policy.Evidence;
import dev.twofold.api.policy.PolicySet;
import dev.twofold.api.policy.RequestAttributes;
import dev.twofold.api.v1alpha1.AmrRequirement;
import dev.twofold.api.v1alpha1.Enforcement;
import dev.twofold.api.v1alpha1.Match;
import dev.twofold.api.v1alpha1.MatchRule;
import dev.twofold.api.v1alpha1.MfaPolicySpec;
import dev.twofold.api.v1alpha1.Require;
import dev.twofold.api.v1alpha1.Subjects;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link PolicySet#evaluate} on the admission/authorization hot path, with 1, 10 and 100 policies and a mixed
 * request stream like a busy cluster's: mostly reads and writes no policy covers (configmaps, deployments, events,
 * leases), some secret reads, exec/attach, RBAC writes and custom resources that policies do cover, from humans with
 * strong, weak and no evidence, and from service accounts.
 *
 * <p>Run (see the crds pom's {@code jmh} execution):
 * {@code mvn -pl crds test-compile exec:exec@jmh -Djmh.args="PolicySetBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PolicySetBenchmark {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final int REQUESTS = 1024;

  @Param({"1", "10", "100"})
  public int policies;

  private PolicySet set;
  private RequestAttributes[] requests;
  private Evidence[] evidence;
  private List<Map<String, List<String>>> extras;
  private int next;

  @Setup
  public void setUp() {
    List<CompiledPolicy> compiled = new ArrayList<>();
    for (int i = 0; i < policies; i++) {
      Compilation compilation = CompiledPolicy.compile(String.format("policy-%03d", i), policy(i));
      compiled.add(((Compilation.Compiled) compilation).policy());
    }
    set = PolicySet.of(compiled);

    Random random = new Random(42);
    requests = new RequestAttributes[REQUESTS];
    evidence = new Evidence[REQUESTS];
    extras = new ArrayList<>(REQUESTS);
    for (int i = 0; i < REQUESTS; i++) {
      requests[i] = request(random);
      extras.add(extra(random));
      evidence[i] = Evidence.fromUserExtra(extras.get(i));
    }
  }

  /** Policy 0 is the classic exec policy; the rest mix secrets, RBAC and per-team custom resources. */
  private static MfaPolicySpec policy(int i) {
    Require require = new Require(new AmrRequirement(List.of(List.of("hwk"), List.of("otp", "pwd"))),
        i % 4 == 0 ? List.of("phr", "phrh") : List.of(), "15m", List.of("https://idp.example.com"));
    List<MatchRule> rules;
    switch (i % 4) {
      case 0 -> rules = List.of(new MatchRule(List.of(""), List.of("pods/exec", "pods/attach", "pods/portforward"),
          List.of("*")));
      case 1 -> rules = List.of(new MatchRule(List.of(""), List.of("secrets"), List.of("get", "list", "watch")));
      case 2 -> rules = List.of(new MatchRule(List.of("rbac.authorization.k8s.io"),
          List.of("clusterrolebindings", "rolebindings", "clusterroles", "roles"),
          List.of("create", "update", "patch", "delete")));
      default -> rules = List.of(new MatchRule(List.of("team" + i + ".example.com"),
          List.of("databases", "databases/credentials"), List.of("*")));
    }
    LabelSelector namespaces = i % 3 == 0 ? null : new LabelSelector(
        List.of(new LabelSelectorRequirement("env", "NotIn", List.of("dev", "sandbox"))), Map.of("team", "t" + i % 5));
    Subjects subjects = i % 2 == 0 ? Subjects.EVERYONE
        : new Subjects(List.of(), List.of("oidc:team-" + i % 5, "oidc:platform-admins"), List.of(),
            List.of("oidc:breakglass"));
    Enforcement enforcement = i % 7 == 6 ? Enforcement.AUDIT : Enforcement.ENFORCE;
    return new MfaPolicySpec(enforcement, new Match(rules, namespaces, subjects), require, "kubectl oidc-login");
  }

  private static final String[][] UNCOVERED = {
      {"get", "", "configmaps", ""}, {"list", "", "pods", ""}, {"watch", "apps", "deployments", ""},
      {"get", "coordination.k8s.io", "leases", ""}, {"create", "events.k8s.io", "events", ""},
      {"update", "apps", "deployments", "status"}, {"get", "", "pods", "log"}, {"patch", "", "nodes", "status"},
  };

  private static RequestAttributes request(Random random) {
    int kind = random.nextInt(100);
    String namespace = "ns-" + random.nextInt(20);
    Map<String, String> labels = Map.of("team", "t" + random.nextInt(5), "env", random.nextBoolean() ? "prod" : "dev");
    String user;
    List<String> groups;
    if (random.nextInt(4) == 0) {
      user = "system:serviceaccount:" + namespace + ":controller";
      groups = List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated");
    } else {
      user = "user" + random.nextInt(50) + "@example.com";
      groups = List.of("oidc:team-" + random.nextInt(5), "system:authenticated");
    }
    String[] shape;
    if (kind < 60) {
      shape = UNCOVERED[random.nextInt(UNCOVERED.length)];
    } else if (kind < 75) {
      shape = new String[] {random.nextBoolean() ? "get" : "list", "", "secrets", ""};
    } else if (kind < 85) {
      shape = new String[] {random.nextBoolean() ? "connect" : "create", "", "pods", random.nextBoolean() ? "exec"
          : "attach"};
    } else if (kind < 92) {
      shape = new String[] {"create", "rbac.authorization.k8s.io", "rolebindings", ""};
    } else {
      int team = random.nextInt(100);
      shape = new String[] {"get", "team" + team + ".example.com", "databases", random.nextBoolean() ? ""
          : "credentials"};
    }
    return new RequestAttributes(user, groups, shape[0], shape[1], shape[2], shape[3], namespace, labels, "obj");
  }

  private static Map<String, List<String>> extra(Random random) {
    int strength = random.nextInt(3);
    if (strength == 0) {
      return Map.of();
    }
    String authTime = Long.toString(NOW.getEpochSecond() - random.nextInt(3600));
    return Map.of(
        Evidence.AMR, strength == 2 ? List.of("pwd", "otp") : List.of("pwd"),
        Evidence.ACR, List.of(strength == 2 ? "phrh" : "1"),
        Evidence.AUTH_TIME, List.of(authTime),
        Evidence.ISS, List.of("https://idp.example.com"));
  }

  /** The decision alone, with evidence already parsed. */
  @Benchmark
  public Decision evaluate() {
    int i = next++ & (REQUESTS - 1);
    return set.evaluate(requests[i], evidence[i], NOW);
  }

  /** Parsing the user's extras plus the decision: the webhook's per-request work in this module. */
  @Benchmark
  public Decision parseAndEvaluate() {
    int i = next++ & (REQUESTS - 1);
    return set.evaluate(requests[i], Evidence.fromUserExtra(extras.get(i)), NOW);
  }
}
