package dev.twofold.operator.workload.issuer;

/**
 * A strict DER tag-length-value reader, as Go's {@code cryptobyte} reads: single-byte tags, definite lengths in the
 * shortest form. Used where the exact bytes matter (what a CSR signature covers, ECDSA signature encodings).
 */
final class Der {

    static final int SEQUENCE = 0x30;
    static final int INTEGER = 0x02;

    /** One element: its tag, where its content starts and how long it is, and where the next element starts. */
    record Tlv(int tag, int contentStart, int contentLength) {
        int end() {
            return contentStart + contentLength;
        }
    }

    private Der() {
    }

    /** The element at {@code offset}, which must end by {@code limit}; {@code null} when not strict DER. */
    static Tlv read(byte[] der, int offset, int limit) {
        if (offset + 2 > limit) {
            return null;
        }
        int tag = der[offset] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            return null; // multi-byte tags never occur in what we read
        }
        int first = der[offset + 1] & 0xff;
        int start = offset + 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int octets = first & 0x7f;
            if (octets == 0 || octets > 4 || start + octets > limit) {
                return null; // indefinite length (0x80) is BER, not DER
            }
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | (der[start + i] & 0xff);
            }
            start += octets;
            // Shortest form only: no leading zero octet, no long form for lengths under 128.
            if (length < 0x80 || (der[offset + 2] & 0xff) == 0) {
                return null;
            }
        }
        if (length > limit - start) {
            return null;
        }
        return new Tlv(tag, start, (int) length);
    }
}
