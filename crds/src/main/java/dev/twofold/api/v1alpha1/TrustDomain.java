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
 * TrustDomain (cluster-scoped): a SPIFFE trust domain, its workload CA and the bounds of the certificates it issues
 * (DESIGN §3). {@link WorkloadCertificatePolicy} objects name one; the operator keeps its CA current (rotation),
 * publishes the trust bundle and reports in {@link TrustDomainStatus}.
 *
 * <p>Rotation on demand: set the annotation {@value #ROTATE_CA_ANNOTATION} to a new value (any request id, e.g. a
 * date or a ticket) and the operator prepares a next CA at once (unless one is prepared), publishes it in the trust
 * bundle, and lets it sign once it has been published for the bundle propagation time ({@code --bundle-propagation});
 * the CA it replaces stays in the bundle until the last certificate it signed has expired. {@code
 * status.rotation.lastRequest} names the value acted on last; the same value again does nothing.
 */
@Group(MfaPolicy.GROUP)
@Version(MfaPolicy.VERSION)
@Kind(TrustDomain.KIND)
@Plural(TrustDomain.PLURAL)
@Singular("trustdomain")
@ShortNames("td")
@AdditionalPrinterColumn(name = "Trust Domain", jsonPath = ".spec.trustDomain",
        type = AdditionalPrinterColumn.Type.STRING, getDescription = "The SPIFFE trust domain name")
@AdditionalPrinterColumn(name = "CA Expires", jsonPath = ".status.currentCA.notAfter",
        type = AdditionalPrinterColumn.Type.DATE, getDescription = "When the active CA certificate expires")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING, getDescription = "Whether the CA is ready to issue")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class TrustDomain extends CustomResource<TrustDomainSpec, TrustDomainStatus> {

    public static final String KIND = "TrustDomain";
    public static final String PLURAL = "trustdomains";
    /** The CRD's name, {@code trustdomains.twofold.dev}. */
    public static final String CRD_NAME = PLURAL + "." + MfaPolicy.GROUP;
    /** Set to a new value to rotate the CA now (see the class comment). */
    public static final String ROTATE_CA_ANNOTATION = "twofold.dev/rotate-ca";

    public TrustDomain() {
    }

    /** A trust domain object named {@code name} with {@code spec} and no status, e.g. for tests and samples. */
    public static TrustDomain of(String name, TrustDomainSpec spec) {
        TrustDomain trustDomain = new TrustDomain();
        trustDomain.getMetadata().setName(name);
        trustDomain.setSpec(spec);
        return trustDomain;
    }

    @Override
    @Required
    @JsonPropertyDescription("The trust domain, its CA and the bounds of the workload certificates it issues.")
    public TrustDomainSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Observed state, written by the Twofold operator.")
    public TrustDomainStatus getStatus() {
        return super.getStatus();
    }
}
