package org.rekap.officer;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import org.rekap.ledger.Role;
import org.rekap.packed.Bulk;
import org.rekap.packed.RowIndex;
import org.rekap.region.RegionTree;

/**
 * Every enrolled device, a row each in parallel arrays (id as two longs, key, role and revocation, scope as a tree
 * node, the enrolling entry's position and time): a national log enrols 820,161 phones, and as records in a map of
 * strings they took about 250 bytes each, here about 90. Ids are 32 lower-case hex digits (the log's entries and the
 * officer API accept no other); any other id is simply not enrolled. Thread-safe: request threads look devices up
 * while the log writer enrols and revokes.
 */
final class Devices {
    private static final int KEY = 32;
    private static final byte REVOKED = (byte) 0x80;

    private final RegionTree tree;
    private final RowIndex index = new RowIndex(this::hash);
    private int count;
    private long[] idHigh = new long[16], idLow = new long[16];
    private byte[] keys = new byte[16 * KEY];
    /** The role's ordinal, with {@link #REVOKED} set once revoked. */
    private byte[] flags = new byte[16];
    private int[] scope = new int[16];
    private long[] seq = new long[16];
    private long[] atSeconds = new long[16];
    private int[] atNanos = new int[16];

    Devices(RegionTree tree) {
        this.tree = tree;
    }

    synchronized int size() {
        return count;
    }

    /** The device with this id, or null. */
    synchronized Device get(String id) {
        int row = row(id);
        if (row < 0) return null;
        return new Device(id, Arrays.copyOfRange(keys, row * KEY, row * KEY + KEY), Role.values()[flags[row] & 0x7f],
                tree.code(scope[row]), flags[row] < 0, seq[row], Instant.ofEpochSecond(atSeconds[row], atNanos[row]));
    }

    /** Enrols a device (replacing one of the same id). */
    synchronized void put(Device d) {
        int node = tree.index(d.scope());
        if (!isHex(d.id()) || node < 0 || d.publicKey().length != KEY)
            throw new IllegalArgumentException("device " + d.id() + " (scope " + d.scope() + ") cannot be enrolled here");
        int row = row(d.id());
        if (row < 0) {
            if (count == idHigh.length) grow(Math.max(16, count + (count >> 1)));
            row = count++;
            idHigh[row] = hex(d.id(), 0);
            idLow[row] = hex(d.id(), 16);
            index.add(hash(row), row);
        }
        System.arraycopy(d.publicKey(), 0, keys, row * KEY, KEY);
        flags[row] = (byte) (d.role().ordinal() | (d.revoked() ? REVOKED : 0));
        scope[row] = node;
        seq[row] = d.seq();
        atSeconds[row] = d.enrolledAt().getEpochSecond();
        atNanos[row] = d.enrolledAt().getNano();
    }

    /** Marks a device revoked; nothing when it is not enrolled. */
    synchronized void revoke(String id) {
        int row = row(id);
        if (row >= 0) flags[row] |= REVOKED;
    }

    private int row(String id) {
        if (id == null || !isHex(id)) return -1;
        long high = hex(id, 0), low = hex(id, 16);
        return index.find(hash(high, low), r -> idHigh[r] == high && idLow[r] == low);
    }

    private int hash(int row) {
        return hash(idHigh[row], idLow[row]);
    }

    /** The id's bits are a SHA-256 prefix already: any mix of them spreads well. */
    private static int hash(long high, long low) {
        return Long.hashCode(high ^ low);
    }

    private static boolean isHex(String id) {
        if (id.length() != 32) return false;
        for (int i = 0; i < 32; i++) {
            char c = id.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) return false;
        }
        return true;
    }

    /** 16 hex digits from {@code from} as a long (the caller has checked they are hex). */
    private static long hex(String id, int from) {
        long v = 0;
        for (int i = from; i < from + 16; i++) v = v << 4 | Character.digit(id.charAt(i), 16);
        return v;
    }

    private void grow(int capacity) {
        idHigh = Arrays.copyOf(idHigh, capacity);
        idLow = Arrays.copyOf(idLow, capacity);
        keys = Arrays.copyOf(keys, capacity * KEY);
        flags = Arrays.copyOf(flags, capacity);
        scope = Arrays.copyOf(scope, capacity);
        seq = Arrays.copyOf(seq, capacity);
        atSeconds = Arrays.copyOf(atSeconds, capacity);
        atNanos = Arrays.copyOf(atNanos, capacity);
    }

    synchronized void writeTo(DataOutput out) throws IOException {
        out.writeInt(count);
        Bulk.writeLongs(out, idHigh, count);
        Bulk.writeLongs(out, idLow, count);
        Bulk.writeBytes(out, keys, count * KEY);
        Bulk.writeBytes(out, flags, count);
        Bulk.writeInts(out, scope, count);
        Bulk.writeLongs(out, seq, count);
        Bulk.writeLongs(out, atSeconds, count);
        Bulk.writeInts(out, atNanos, count);
    }

    /**
     * Reads what {@link #writeTo} wrote into this empty table.
     *
     * @throws IOException when the parts disagree on the count, or a row holds what no enrolment could
     */
    synchronized void readFrom(DataInput in) throws IOException {
        if (count != 0) throw new IllegalStateException("the table is not empty");
        int n = in.readInt();
        if (n < 0 || n > 1 << 28) throw new IOException("bad device count " + n);
        long[] high = Bulk.readLongs(in, n), low = Bulk.readLongs(in, n);
        byte[] k = Bulk.readBytes(in, n * KEY), f = Bulk.readBytes(in, n);
        int[] s = Bulk.readInts(in, n);
        long[] q = Bulk.readLongs(in, n), secs = Bulk.readLongs(in, n);
        int[] nanos = Bulk.readInts(in, n);
        if (high.length != n || low.length != n || k.length != n * KEY || f.length != n || s.length != n
                || q.length != n || secs.length != n || nanos.length != n)
            throw new IOException("the saved devices' parts disagree on their count");
        for (int r = 0; r < n; r++) {
            if ((f[r] & 0x7f) >= Role.values().length) throw new IOException("saved device with unknown role");
            if (s[r] < 0 || s[r] >= tree.size()) throw new IOException("saved device with unknown scope");
            if (nanos[r] < 0 || nanos[r] > 999_999_999) throw new IOException("saved device with a bad time");
        }
        idHigh = high;
        idLow = low;
        keys = k;
        flags = f;
        scope = s;
        seq = q;
        atSeconds = secs;
        atNanos = nanos;
        count = n;
        index.reserve(n);
        for (int r = 0; r < n; r++) {
            long h = idHigh[r], l = idLow[r];
            if (index.addIfAbsent(hash(r), r, x -> idHigh[x] == h && idLow[x] == l) >= 0)
                throw new IOException("saved device twice");
        }
    }
}
