package org.rekap.officer;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.rekap.packed.Bulk;
import org.rekap.packed.RowIndex;

/**
 * Every accepted submission id, a row each in parallel arrays: the id's UTF-8 bytes (back to back in one array),
 * the entry's position and time, and the {@link SheetDigest} of device and sheet. That is all a retry needs: the
 * rest of its first receipt (TPS, contest, status, broken rules) follows from the sheet, which the digest says is the
 * same. A national log holds 2.46 million of them; as records in a map of strings each took about 230 bytes, here
 * about 95. Rows are only added. Not thread-safe: the log writer alone uses it.
 */
final class Submissions {
    static final int DIGEST = 32;
    private static final int MAX_ID_BYTES = 4 * 128;

    private final RowIndex index = new RowIndex(this::hash);
    private int count;
    /** Row r's id is {@code ids[idStart[r], idStart[r + 1])}. */
    private int[] idStart = new int[17];
    private byte[] ids = new byte[256];
    private long[] seq = new long[16];
    private long[] atSeconds = new long[16];
    private int[] atNanos = new int[16];
    private byte[] digests = new byte[16 * DIGEST];

    int size() {
        return count;
    }

    /** The row of this submission id, or -1. */
    int find(String id) {
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        return index.find(hash(key, 0, key.length), r -> Arrays.equals(ids, idStart[r], idStart[r + 1], key, 0, key.length));
    }

    long seq(int row) {
        return seq[row];
    }

    Instant receivedAt(int row) {
        return Instant.ofEpochSecond(atSeconds[row], atNanos[row]);
    }

    boolean digestIs(int row, byte[] digest) {
        return Arrays.equals(digests, row * DIGEST, row * DIGEST + DIGEST, digest, 0, digest.length);
    }

    /** Records an accepted submission (a known id keeps its row and takes the new values). */
    void put(String id, long at, Instant receivedAt, byte[] digest) {
        if (digest.length != DIGEST) throw new IllegalArgumentException("a digest of " + digest.length + " bytes");
        int row = find(id);
        if (row < 0) {
            byte[] key = id.getBytes(StandardCharsets.UTF_8);
            if (count == seq.length) grow(Math.max(16, count + (count >> 1)));
            if (idStart[count] + key.length > ids.length)
                ids = Arrays.copyOf(ids, Math.max(idStart[count] + key.length, ids.length + (ids.length >> 1)));
            row = count++;
            System.arraycopy(key, 0, ids, idStart[row], key.length);
            idStart[row + 1] = idStart[row] + key.length;
            index.add(hash(row), row);
        }
        seq[row] = at;
        atSeconds[row] = receivedAt.getEpochSecond();
        atNanos[row] = receivedAt.getNano();
        System.arraycopy(digest, 0, digests, row * DIGEST, DIGEST);
    }

    private int hash(int row) {
        return hash(ids, idStart[row], idStart[row + 1]);
    }

    private static int hash(byte[] b, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) h = 31 * h + b[i];
        return h;
    }

    private void grow(int capacity) {
        idStart = Arrays.copyOf(idStart, capacity + 1);
        seq = Arrays.copyOf(seq, capacity);
        atSeconds = Arrays.copyOf(atSeconds, capacity);
        atNanos = Arrays.copyOf(atNanos, capacity);
        digests = Arrays.copyOf(digests, capacity * DIGEST);
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeInt(count);
        Bulk.writeInts(out, idStart, count + 1);
        Bulk.writeBytes(out, ids, idStart[count]);
        Bulk.writeLongs(out, seq, count);
        Bulk.writeLongs(out, atSeconds, count);
        Bulk.writeInts(out, atNanos, count);
        Bulk.writeBytes(out, digests, count * DIGEST);
    }

    /**
     * Reads what {@link #writeTo} wrote into this empty table.
     *
     * @throws IOException when the parts disagree on the count, or the ids overlap or repeat
     */
    void readFrom(DataInput in) throws IOException {
        if (count != 0) throw new IllegalStateException("the table is not empty");
        int n = in.readInt();
        if (n < 0 || n > 1 << 28) throw new IOException("bad submission count " + n);
        int[] starts = Bulk.readInts(in, n + 1);
        byte[] b = Bulk.readBytes(in, Integer.MAX_VALUE - 16);
        long[] q = Bulk.readLongs(in, n), secs = Bulk.readLongs(in, n);
        int[] nanos = Bulk.readInts(in, n);
        byte[] d = Bulk.readBytes(in, n * DIGEST);
        if (starts.length != n + 1 || q.length != n || secs.length != n || nanos.length != n || d.length != n * DIGEST)
            throw new IOException("the saved submissions' parts disagree on their count");
        if (starts[0] != 0 || starts[n] != b.length) throw new IOException("the saved submission ids do not fill their bytes");
        for (int r = 0; r < n; r++) {
            int len = starts[r + 1] - starts[r];
            if (len < 0 || len > MAX_ID_BYTES) throw new IOException("saved submission id of " + len + " bytes");
            if (nanos[r] < 0 || nanos[r] > 999_999_999) throw new IOException("saved submission with a bad time");
        }
        idStart = starts;
        ids = b;
        seq = q;
        atSeconds = secs;
        atNanos = nanos;
        digests = d;
        count = n;
        index.reserve(n);
        for (int r = 0; r < n; r++) {
            int from = idStart[r], to = idStart[r + 1];
            if (index.addIfAbsent(hash(r), r, x -> Arrays.equals(ids, idStart[x], idStart[x + 1], ids, from, to)) >= 0)
                throw new IOException("saved submission id twice");
        }
    }
}
