package dev.twofold.operator.workload;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test key pairs, generated once per JVM (RSA 4096 takes a while). */
public final class Keys {

    private static final Map<String, KeyPair> CACHE = new ConcurrentHashMap<>();

    private Keys() {
    }

    public static KeyPair ec(String curve) {
        return CACHE.computeIfAbsent("ec-" + curve, k -> generate("EC", new ECGenParameterSpec(curve), 0));
    }

    public static KeyPair p256() {
        return ec("secp256r1");
    }

    public static KeyPair rsa(int bits) {
        return CACHE.computeIfAbsent("rsa-" + bits, k -> generate("RSA", null, bits));
    }

    public static KeyPair ed25519() {
        return CACHE.computeIfAbsent("ed25519", k -> generate("Ed25519", null, 0));
    }

    /** A fresh (uncached) P-256 pair. */
    public static KeyPair freshP256() {
        return generate("EC", new ECGenParameterSpec("secp256r1"), 0);
    }

    private static KeyPair generate(String algorithm, ECGenParameterSpec spec, int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (spec != null) {
                generator.initialize(spec);
            } else if (bits > 0) {
                generator.initialize(bits);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
