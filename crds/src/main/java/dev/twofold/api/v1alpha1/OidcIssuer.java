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
 * OidcIssuer (cluster-scoped): an OIDC identity provider whose ID tokens the webhook's TokenReview authenticator
 * ({@code /authenticate}) accepts, for clusters that cannot use the API server's structured authentication.
 *
 * <p>The webhook keeps one long-lived verifier per OidcIssuer (discovery, cached and rate-limited key fetching,
 * pinned algorithms); its name is the {@code issuer} tag of the {@code twofold_oidc_*} metrics.
 */
@Group(MfaPolicy.GROUP)
@Version(MfaPolicy.VERSION)
@Kind(OidcIssuer.KIND)
@Plural(OidcIssuer.PLURAL)
@Singular("oidcissuer")
@ShortNames("oidci")
@AdditionalPrinterColumn(name = "URL", jsonPath = ".spec.url", type = AdditionalPrinterColumn.Type.STRING,
        getDescription = "The issuer URL (the tokens' iss)")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING, getDescription = "Whether tokens of this issuer are verified")
@AdditionalPrinterColumn(name = "Last Refresh", jsonPath = ".status.lastRefresh",
        type = AdditionalPrinterColumn.Type.DATE, getDescription = "When the signing keys were last fetched")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class OidcIssuer extends CustomResource<OidcIssuerSpec, OidcIssuerStatus> {

    public static final String KIND = "OidcIssuer";
    public static final String PLURAL = "oidcissuers";
    /** The CRD's name, {@code oidcissuers.twofold.dev}. */
    public static final String CRD_NAME = PLURAL + "." + MfaPolicy.GROUP;

    public OidcIssuer() {
    }

    /** An issuer named {@code name} with {@code spec} and no status, e.g. for tests and samples. */
    public static OidcIssuer of(String name, OidcIssuerSpec spec) {
        OidcIssuer issuer = new OidcIssuer();
        issuer.getMetadata().setName(name);
        issuer.setSpec(spec);
        return issuer;
    }

    @Override
    @Required
    @JsonPropertyDescription("The issuer, its accepted audiences and algorithms, and how its claims map to users.")
    public OidcIssuerSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Observed state: discovery, key loading and readiness.")
    public OidcIssuerStatus getStatus() {
        return super.getStatus();
    }
}
