package dev.twofold.operator.workload.issuer;

import dev.twofold.operator.workload.ca.CertificateAuthority;
import dev.twofold.operator.workload.ca.SignatureAlgorithm;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Signs with the CA's private key through a JCA provider: the JDK's (default; on JDK 25 its ECDSA P-256 is the faster
 * one, see IssuanceBenchmark) or BouncyCastle's. Thread-safe: every certificate gets its own signer.
 */
public final class JcaCaSigner implements CaSigner {

    private final Provider provider;
    private final SecureRandom random;

    private JcaCaSigner(Provider provider, SecureRandom random) {
        this.provider = provider;
        this.random = random;
    }

    /** Signs with the JDK's providers (SunEC, SunRsaSign). */
    public static JcaCaSigner jdk(SecureRandom random) {
        return new JcaCaSigner(null, random);
    }

    /** Signs with BouncyCastle's provider. */
    public static JcaCaSigner bouncyCastle(SecureRandom random) {
        return new JcaCaSigner(new BouncyCastleProvider(), random);
    }

    @Override
    public ContentSigner contentSigner(CertificateAuthority ca) throws GeneralSecurityException {
        JcaContentSignerBuilder builder = new JcaContentSignerBuilder(
                SignatureAlgorithm.forKey(ca.privateKey()).jcaName()).setSecureRandom(random);
        if (provider != null) {
            builder.setProvider(provider);
        }
        try {
            return builder.build(ca.privateKey());
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("no signer for the CA key", e);
        }
    }
}
