package dev.twofold.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * WorkloadCertificatePolicy (namespaced): which pods of its namespace get workload certificates from which
 * {@link TrustDomain}, with which SPIFFE ID and DNS names, for how long, for which key types, and what attestation
 * they must pass (DESIGN §3). A pod must be matched by exactly one policy of its namespace.
 */
@Group(MfaPolicy.GROUP)
@Version(MfaPolicy.VERSION)
@Kind(WorkloadCertificatePolicy.KIND)
@Plural(WorkloadCertificatePolicy.PLURAL)
@Singular("workloadcertificatepolicy")
@ShortNames("wcp")
@AdditionalPrinterColumn(name = "Trust Domain", jsonPath = ".spec.trustDomain",
        type = AdditionalPrinterColumn.Type.STRING, getDescription = "The TrustDomain that issues")
@AdditionalPrinterColumn(name = "Issued", jsonPath = ".status.certificatesIssued",
        type = AdditionalPrinterColumn.Type.INTEGER, getDescription = "Certificates issued under this policy")
@AdditionalPrinterColumn(name = "Last Issuance", jsonPath = ".status.lastIssuance",
        type = AdditionalPrinterColumn.Type.DATE, getDescription = "When the last certificate was issued")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING, getDescription = "Whether the policy is valid and in force")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class WorkloadCertificatePolicy
        extends CustomResource<WorkloadCertificatePolicySpec, WorkloadCertificatePolicyStatus> implements Namespaced {

    public static final String KIND = "WorkloadCertificatePolicy";
    public static final String PLURAL = "workloadcertificatepolicies";
    /** The CRD's name, {@code workloadcertificatepolicies.twofold.dev}. */
    public static final String CRD_NAME = PLURAL + "." + MfaPolicy.GROUP;

    public WorkloadCertificatePolicy() {
    }

    /** A policy {@code namespace/name} with {@code spec} and no status, e.g. for tests and samples. */
    public static WorkloadCertificatePolicy of(String namespace, String name, WorkloadCertificatePolicySpec spec) {
        WorkloadCertificatePolicy policy = new WorkloadCertificatePolicy();
        policy.getMetadata().setNamespace(namespace);
        policy.getMetadata().setName(name);
        policy.setSpec(spec);
        return policy;
    }

    @Override
    @Required
    @JsonPropertyDescription("Which pods get certificates from which trust domain, with which identity and how.")
    public WorkloadCertificatePolicySpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Observed state, written by the Twofold operator.")
    public WorkloadCertificatePolicyStatus getStatus() {
        return super.getStatus();
    }
}
