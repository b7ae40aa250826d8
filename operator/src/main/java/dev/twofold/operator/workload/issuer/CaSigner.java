package dev.twofold.operator.workload.issuer;

import dev.twofold.operator.workload.ca.CertificateAuthority;
import java.security.GeneralSecurityException;
import org.bouncycastle.operator.ContentSigner;

/**
 * The signing seam: turns a CA into a {@link ContentSigner} for one certificate. {@link JcaCaSigner} signs with the
 * CA's in-memory key through a JCA provider; a KMS/HSM signer (DESIGN §4, planned) would implement this instead.
 */
public interface CaSigner {

    /** A signer for one certificate issued by {@code ca}. */
    ContentSigner contentSigner(CertificateAuthority ca) throws GeneralSecurityException;
}
