package dev.twofold.operator.workload.issuer;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Checks an ECDSA signature's encoding the way Go's {@code ecdsa.VerifyASN1} does (kube-apiserver and the kubelet are
 * Go): exactly {@code SEQUENCE { INTEGER r, INTEGER s }} in DER, minimal positive integers, nothing after, and
 * {@code 1 <= r, s < n}. Providers differ in what BER they tolerate; this makes the answer ours.
 */
final class StrictEcdsaDer {

    private StrictEcdsaDer() {
    }

    /** {@code r} and {@code s}, or {@code null} when the encoding or range is not what Go accepts. */
    static BigInteger[] parse(byte[] signature, BigInteger order) {
        Der.Tlv sequence = Der.read(signature, 0, signature.length);
        if (sequence == null || sequence.tag() != Der.SEQUENCE || sequence.end() != signature.length) {
            return null;
        }
        Der.Tlv r = Der.read(signature, sequence.contentStart(), sequence.end());
        if (r == null || r.tag() != Der.INTEGER) {
            return null;
        }
        Der.Tlv s = Der.read(signature, r.end(), sequence.end());
        if (s == null || s.tag() != Der.INTEGER || s.end() != sequence.end()) {
            return null;
        }
        BigInteger rValue = inRange(signature, r, order);
        BigInteger sValue = inRange(signature, s, order);
        return rValue == null || sValue == null ? null : new BigInteger[] {rValue, sValue};
    }

    private static BigInteger inRange(byte[] der, Der.Tlv integer, BigInteger order) {
        int length = integer.contentLength();
        if (length == 0) {
            return null;
        }
        byte first = der[integer.contentStart()];
        if (first < 0) {
            return null; // negative
        }
        if (length > 1 && first == 0 && der[integer.contentStart() + 1] >= 0) {
            return null; // a leading zero octet that is not needed
        }
        BigInteger value = new BigInteger(1, Arrays.copyOfRange(der, integer.contentStart(), integer.end()));
        return value.signum() > 0 && value.compareTo(order) < 0 ? value : null;
    }
}
