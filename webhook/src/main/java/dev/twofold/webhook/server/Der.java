package dev.twofold.webhook.server;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The little DER the key decoder needs: walking a SEQUENCE's elements and writing SEQUENCE, INTEGER 0 and OCTET
 * STRING, enough to wrap SEC1 and PKCS#1 private keys as PKCS#8 (which is all the JDK's KeyFactory reads).
 */
final class Der {

    static final int SEQUENCE = 0x30;
    static final int OCTET_STRING = 0x04;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int NULL = 0x05;

    /** One TLV: {@code tag}, and its content at {@code [start, end)} of the source array. */
    record Element(int tag, byte[] source, int start, int end, int headerStart) {

        byte[] content() {
            return Arrays.copyOfRange(source, start, end);
        }

        /** The whole TLV, header included. */
        byte[] encoded() {
            return Arrays.copyOfRange(source, headerStart, end);
        }
    }

    private Der() {
    }

    /** Reads the TLV at {@code offset} of {@code der}, bounded by {@code limit}. */
    static Element read(byte[] der, int offset, int limit) throws InvalidCertificate {
        if (offset + 2 > limit) {
            throw truncated();
        }
        int tag = der[offset] & 0xff;
        int first = der[offset + 1] & 0xff;
        int position = offset + 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int octets = first & 0x7f;
            if (octets == 0 || octets > 4 || position + octets > limit) {
                throw truncated();
            }
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | (der[position++] & 0xff);
            }
        }
        if (position + length > limit) {
            throw truncated();
        }
        return new Element(tag, der, position, (int) (position + length), offset);
    }

    /** The elements directly inside the constructed element {@code outer}. */
    static List<Element> children(Element outer) throws InvalidCertificate {
        List<Element> out = new ArrayList<>();
        int position = outer.start();
        while (position < outer.end()) {
            Element child = read(outer.source(), position, outer.end());
            out.add(child);
            position = child.end();
        }
        return out;
    }

    static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        return tlv(SEQUENCE, content.toByteArray());
    }

    static byte[] octetString(byte[] content) {
        return tlv(OCTET_STRING, content);
    }

    static byte[] integerZero() {
        return new byte[] {0x02, 0x01, 0x00};
    }

    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static InvalidCertificate truncated() {
        return new InvalidCertificate("tls.key is not valid DER (truncated or malformed)");
    }
}
