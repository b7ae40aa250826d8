package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * MfaPolicy (cluster-scoped): which requests need which authentication evidence (DESIGN §3).
 *
 * <p>The webhook's authorization and admission paths both evaluate the compiled set of these policies
 * ({@link dev.twofold.api.policy.PolicySet}); the operator renders the admission webhook's rules from them and
 * reports on each in {@link MfaPolicyStatus}.
 *
 * <p>kubectl shows the printer columns as AGE, ENFORCEMENT, RULES, READY: crd-generator sorts them by JSON path.
 */
@Group(MfaPolicy.GROUP)
@Version(MfaPolicy.VERSION)
@Kind(MfaPolicy.KIND)
@Plural(MfaPolicy.PLURAL)
@Singular("mfapolicy")
@ShortNames("mfap")
@AdditionalPrinterColumn(name = "Enforcement", jsonPath = ".spec.enforcement",
    type = AdditionalPrinterColumn.Type.STRING, getDescription = "Enforce, Audit or Disabled")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING, getDescription = "Whether the policy compiled and is in force")
@AdditionalPrinterColumn(name = "Rules", jsonPath = ".status.admissionRules",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Rules rendered into the admission webhook configuration")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class MfaPolicy extends CustomResource<MfaPolicySpec, MfaPolicyStatus> {

  public static final String GROUP = "twofold.dev";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "MfaPolicy";
  public static final String PLURAL = "mfapolicies";
  /** The CRD's name, {@code mfapolicies.twofold.dev}. */
  public static final String CRD_NAME = PLURAL + "." + GROUP;

  public MfaPolicy() {
  }

  /** A policy named {@code name} with {@code spec} and no status, e.g. for tests and samples. */
  public static MfaPolicy of(String name, MfaPolicySpec spec) {
    MfaPolicy policy = new MfaPolicy();
    policy.getMetadata().setName(name);
    policy.setSpec(spec);
    return policy;
  }

  @Override
  @Required
  @JsonPropertyDescription("Which requests this policy covers, and what authentication evidence they need.")
  public MfaPolicySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Observed state, written by the Twofold operator.")
  public MfaPolicyStatus getStatus() {
    return super.getStatus();
  }
}
