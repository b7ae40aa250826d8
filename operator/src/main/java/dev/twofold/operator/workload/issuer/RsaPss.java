package dev.twofold.operator.workload.issuer;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;

/**
 * RSASSA-PSS verification (RFC 8017 §8.1.2, EMSA-PSS-VERIFY §9.1.2) with MGF1 over the same hash and an optional
 * salt length: {@link #AUTO} finds it from the 0x01 separator, as Go's {@code rsa.VerifyPSS} with nil options does.
 * The kubelet signs PodCertificateRequest proofs with {@code rsa.SignPSS(..., nil)}, whose salt length depends on the
 * Go version and FIPS mode, so only auto-detection verifies all of them; the JDK's RSASSA-PSS needs the exact length.
 */
final class RsaPss {

    /** Detect the salt length. */
    static final int AUTO = -1;

    private RsaPss() {
    }

    /**
     * Whether {@code signature} is a valid PSS signature of {@code message} under {@code key}.
     *
     * @param hash a JCA digest name, e.g. SHA-256 (used for the message, M' and MGF1)
     * @param saltLength the expected salt length in bytes, or {@link #AUTO}
     */
    static boolean verify(RSAPublicKey key, String hash, byte[] message, byte[] signature, int saltLength) {
        BigInteger n = key.getModulus();
        int k = (n.bitLength() + 7) / 8;
        if (signature.length != k) {
            return false;
        }
        BigInteger s = new BigInteger(1, signature);
        if (s.compareTo(n) >= 0) {
            return false;
        }
        // RSAVP1: public key operation; no secrets involved, so BigInteger's timing does not matter.
        byte[] em = toBytes(s.modPow(key.getPublicExponent(), n), k);
        int emBits = n.bitLength() - 1;
        int emLen = (emBits + 7) / 8;
        int offset = k - emLen;
        for (int i = 0; i < offset; i++) {
            if (em[i] != 0) {
                return false;
            }
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown digest " + hash, e);
        }
        byte[] mHash = digest.digest(message);
        return emsaPssVerify(mHash, Arrays.copyOfRange(em, offset, k), emBits, saltLength, digest);
    }

    private static boolean emsaPssVerify(byte[] mHash, byte[] em, int emBits, int saltLength, MessageDigest digest) {
        int hLen = mHash.length;
        int emLen = em.length;
        if (emLen < hLen + Math.max(saltLength, 0) + 2 || em[emLen - 1] != (byte) 0xbc) {
            return false;
        }
        int dbLen = emLen - hLen - 1;
        byte[] db = Arrays.copyOfRange(em, 0, dbLen);
        byte[] h = Arrays.copyOfRange(em, dbLen, dbLen + hLen);
        int unusedBits = 8 * emLen - emBits;
        int bitMask = 0xff >>> unusedBits;
        if ((db[0] & ~bitMask & 0xff) != 0) {
            return false;
        }
        byte[] mask = mgf1(h, dbLen, digest);
        for (int i = 0; i < dbLen; i++) {
            db[i] ^= mask[i];
        }
        db[0] &= (byte) bitMask;
        int sLen = saltLength;
        if (sLen == AUTO) {
            int separator = -1;
            for (int i = 0; i < dbLen; i++) {
                if (db[i] == 0x01) {
                    separator = i;
                    break;
                }
            }
            if (separator < 0) {
                return false;
            }
            sLen = dbLen - separator - 1;
        }
        int psLen = emLen - hLen - sLen - 2;
        if (psLen < 0) {
            return false;
        }
        for (int i = 0; i < psLen; i++) {
            if (db[i] != 0) {
                return false;
            }
        }
        if (db[psLen] != 0x01) {
            return false;
        }
        digest.reset();
        digest.update(new byte[8]);
        digest.update(mHash);
        digest.update(db, dbLen - sLen, sLen);
        return MessageDigest.isEqual(digest.digest(), h);
    }

    private static byte[] mgf1(byte[] seed, int length, MessageDigest digest) {
        byte[] out = new byte[length];
        byte[] counter = new byte[4];
        int done = 0;
        for (int c = 0; done < length; c++) {
            counter[0] = (byte) (c >>> 24);
            counter[1] = (byte) (c >>> 16);
            counter[2] = (byte) (c >>> 8);
            counter[3] = (byte) c;
            digest.reset();
            digest.update(seed);
            digest.update(counter);
            byte[] block = digest.digest();
            int take = Math.min(block.length, length - done);
            System.arraycopy(block, 0, out, done, take);
            done += take;
        }
        return out;
    }

    private static byte[] toBytes(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        if (raw.length == length) {
            return raw;
        }
        byte[] out = new byte[length];
        if (raw.length > length) {
            System.arraycopy(raw, raw.length - length, out, 0, length); // drop the sign octet
        } else {
            System.arraycopy(raw, 0, out, length - raw.length, raw.length);
        }
        return out;
    }
}
