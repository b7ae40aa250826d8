package dev.twofold.operator.workload.issuer;

import dev.twofold.operator.workload.ca.CertificateAuthority;
import dev.twofold.operator.workload.ca.SignatureAlgorithm;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Signs with the CA's private key through a JCA provider: the JDK's (SunEC, constant-time P-256) or BouncyCastle's.
 * For BouncyCastle the CA key is converted to BouncyCastle's own key class once per CA: converting a JDK key on every
 * signature costs more than the signature. Thread-safe: every certificate gets its own signer.
 */
public final class JcaCaSigner implements CaSigner {

    private static final int MAX_CACHED_KEYS = 16;

    private final Provider provider;
    private final SecureRandom random;
    /** CA fingerprint to the key in the provider's own class (BouncyCastle only). */
    private final Map<String, PrivateKey> providerKeys = new ConcurrentHashMap<>();

    private JcaCaSigner(Provider provider, SecureRandom random) {
        this.provider = provider;
        this.random = random;
    }

    /** Signs with the JDK's providers (SunEC, SunRsaSign, SunEC Ed25519). */
    public static JcaCaSigner jdk(SecureRandom random) {
        return new JcaCaSigner(null, random);
    }

    /** Signs with BouncyCastle's provider (not installed globally; used by reference). */
    public static JcaCaSigner bouncyCastle(SecureRandom random) {
        return new JcaCaSigner(new BouncyCastleProvider(), random);
    }

    @Override
    public ContentSigner contentSigner(CertificateAuthority ca) throws GeneralSecurityException {
        JcaContentSignerBuilder builder = new JcaContentSignerBuilder(
                SignatureAlgorithm.forKey(ca.privateKey()).jcaName()).setSecureRandom(random);
        PrivateKey key = ca.privateKey();
        if (provider != null) {
            builder.setProvider(provider);
            key = providerKey(ca);
        }
        try {
            return builder.build(key);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("no signer for the CA key", e);
        }
    }

    private PrivateKey providerKey(CertificateAuthority ca) throws GeneralSecurityException {
        PrivateKey cached = providerKeys.get(ca.fingerprint());
        if (cached != null) {
            return cached;
        }
        if (providerKeys.size() >= MAX_CACHED_KEYS) {
            providerKeys.clear(); // CAs change a few times a year; a full cache means stale entries
        }
        PrivateKey converted = KeyFactory.getInstance(ca.privateKey().getAlgorithm(), provider)
                .generatePrivate(new PKCS8EncodedKeySpec(ca.privateKey().getEncoded()));
        providerKeys.put(ca.fingerprint(), converted);
        return converted;
    }
}
