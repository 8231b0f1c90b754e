package org.rekap.ledger;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The C2SP tlog-tiles entry bundle ({@code tile/entries/<N>[.p/<W>]}): the bundle's entries in log order, each as a
 * big-endian unsigned 16-bit length followed by that many bytes, with nothing between or after. So an entry is at most
 * 65,535 bytes. Entry {@code i} of bundle {@code N} is log entry {@code N*256 + i}, and its RFC 6962 leaf hash is hash
 * {@code i} of level-0 tile {@code N}.
 */
public final class EntryBundle {
    /** The largest entry a bundle can carry. */
    public static final int MAX_ENTRY_BYTES = 0xFFFF;

    private EntryBundle() {}

    /** @throws IllegalArgumentException if an entry is larger than {@value #MAX_ENTRY_BYTES} bytes */
    public static byte[] encode(List<byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < entries.size(); i++) {
            byte[] e = entries.get(i);
            if (e.length > MAX_ENTRY_BYTES)
                throw new IllegalArgumentException("entry " + i + " is " + e.length + " bytes, more than an entry bundle"
                        + " can carry (" + MAX_ENTRY_BYTES + ")");
            out.write(e.length >>> 8);
            out.write(e.length & 0xFF);
            out.writeBytes(e);
        }
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException naming the byte offset, if the bundle ends inside a length or an entry */
    public static List<byte[]> decode(byte[] bundle) {
        List<byte[]> out = new ArrayList<>();
        int pos = 0;
        while (pos < bundle.length) {
            if (bundle.length - pos < 2)
                throw new IllegalArgumentException("entry bundle ends inside the length of entry " + out.size()
                        + " at byte " + pos);
            int len = ((bundle[pos] & 0xFF) << 8) | (bundle[pos + 1] & 0xFF);
            pos += 2;
            if (bundle.length - pos < len)
                throw new IllegalArgumentException("entry " + out.size() + " of the bundle claims " + len
                        + " bytes but only " + (bundle.length - pos) + " remain at byte " + pos);
            byte[] e = new byte[len];
            System.arraycopy(bundle, pos, e, 0, len);
            out.add(e);
            pos += len;
        }
        return out;
    }
}
