package org.rekap.tally;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.rekap.packed.Bulk;

/**
 * A contest's running sums, kept as ints (half the memory: a national DPR tally has 13 million of them) until one
 * would overflow, then as longs for good. Sheets are capped well below what could overflow an int at national scale,
 * but a log replayed by a verifier may hold anything, and a sum must never wrap.
 */
final class Sums {
    private int[] small;
    private long[] wide;

    Sums(int size) {
        small = new int[size];
    }

    int size() {
        return small != null ? small.length : wide.length;
    }

    long get(int i) {
        return small != null ? small[i] : wide[i];
    }

    void add(int i, long delta) {
        if (small != null) {
            long v = small[i] + delta;
            if (v == (int) v) {
                small[i] = (int) v;
                return;
            }
            widen();
        }
        wide[i] += delta;
    }

    private void widen() {
        wide = new long[small.length];
        for (int i = 0; i < small.length; i++) wide[i] = small[i];
        small = null;
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeBoolean(wide != null);
        if (wide != null) Bulk.writeLongs(out, wide, wide.length);
        else Bulk.writeInts(out, small, small.length);
    }

    /** Reads what {@link #writeTo} wrote for sums of the same size. */
    void readFrom(DataInput in) throws IOException {
        int size = size();
        if (in.readBoolean()) {
            wide = Bulk.readLongs(in, size);
            small = null;
        } else {
            small = Bulk.readInts(in, size);
            wide = null;
        }
        if (size() != size) throw new IOException("saved sums of another size");
    }
}
