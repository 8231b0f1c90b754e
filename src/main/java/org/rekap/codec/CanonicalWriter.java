package org.rekap.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds canonical JSON bytes (see {@link CanonicalJson}) piece by piece, for encoders that know their keys in sorted
 * order already: a sheet is encoded on every submission, and building a tree to sort its keys cost more than the rest
 * of the encoding.
 */
final class CanonicalWriter {
    private byte[] buf;
    private int size;

    CanonicalWriter(int capacity) {
        buf = new byte[capacity];
    }

    /** Writes ASCII as it is: punctuation and keys the caller knows need no escaping. */
    CanonicalWriter raw(String ascii) {
        ensure(ascii.length());
        for (int i = 0; i < ascii.length(); i++) buf[size++] = (byte) ascii.charAt(i);
        return this;
    }

    CanonicalWriter raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    CanonicalWriter number(long v) {
        return raw(Long.toString(v));
    }

    /** A JSON string as RFC 8785 escapes it; a lone surrogate is refused (UTF-8 cannot hold it). */
    CanonicalWriter string(String s) {
        ensure(s.length() + 2);
        buf[size++] = '"';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                ensure(1);
                buf[size++] = (byte) c;
                continue;
            }
            switch (c) {
                case '"' -> raw("\\\"");
                case '\\' -> raw("\\\\");
                case '\b' -> raw("\\b");
                case '\f' -> raw("\\f");
                case '\n' -> raw("\\n");
                case '\r' -> raw("\\r");
                case '\t' -> raw("\\t");
                default -> {
                    if (c < 0x20) raw(String.format("\\u%04x", (int) c));
                    else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                        raw(new String(new char[] {c, s.charAt(++i)}).getBytes(StandardCharsets.UTF_8));
                    else if (Character.isSurrogate(c))
                        // UTF-8 cannot encode it: writing '?' would give two strings one encoding (RFC 8785 refuses too).
                        throw new IllegalArgumentException("canonical JSON cannot hold a lone surrogate (at index " + i + ")");
                    else raw(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        ensure(1);
        buf[size++] = '"';
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
}
