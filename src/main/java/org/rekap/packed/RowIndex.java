package org.rekap.packed;

import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * A hash index over rows kept by the caller in parallel arrays: open addressing with linear probing over one
 * {@code int[]} (row + 1, 0 for an empty slot), at most 70% full. It stores neither keys nor hashes: the caller
 * says whether a row matches, and what a row's hash is when the index grows. About 6 to 11 bytes a row, against some
 * 50 for a {@code HashMap} entry before its key and value. Rows are never removed. Not thread-safe.
 */
public final class RowIndex {
    private final IntUnaryOperator hashOfRow;
    private int[] slots;
    private int count;

    /** @param hashOfRow the hash of the key of a row already added (the same that was given to {@link #add}) */
    public RowIndex(IntUnaryOperator hashOfRow) {
        this.hashOfRow = hashOfRow;
        this.slots = new int[16];
    }

    public int size() {
        return count;
    }

    /** The row whose key has this hash and {@code matches}, or -1. */
    public int find(int hash, IntPredicate matches) {
        int mask = slots.length - 1;
        for (int i = spread(hash) & mask; slots[i] != 0; i = (i + 1) & mask)
            if (matches.test(slots[i] - 1)) return slots[i] - 1;
        return -1;
    }

    /** Adds a row whose key (of this hash) is not in the index yet. */
    public void add(int hash, int row) {
        if ((count + 1) * 10L > slots.length * 7L) grow();
        insert(slots, hash, row);
        count++;
    }

    /**
     * Adds a row unless a row with the same key ({@code sameKey}) is there already: one pass where {@link #find} then
     * {@link #add} would make two.
     *
     * @return -1 when added, else the row already there (and nothing is added)
     */
    public int addIfAbsent(int hash, int row, IntPredicate sameKey) {
        if ((count + 1) * 10L > slots.length * 7L) grow();
        int mask = slots.length - 1;
        int i = spread(hash) & mask;
        for (; slots[i] != 0; i = (i + 1) & mask)
            if (sameKey.test(slots[i] - 1)) return slots[i] - 1;
        slots[i] = row + 1;
        count++;
        return -1;
    }

    /** Makes room for {@code rows} rows in all without growing again (a restore knows how many are coming). */
    public void reserve(int rows) {
        if (rows * 10L > slots.length * 7L) rehash(capacityFor(rows));
    }

    private void grow() {
        rehash(slots.length * 2);
    }

    private void rehash(int capacity) {
        int[] next = new int[capacity];
        for (int s : slots) if (s != 0) insert(next, hashOfRow.applyAsInt(s - 1), s - 1);
        slots = next;
    }

    private static int capacityFor(int rows) {
        long need = rows * 10L / 7 + 1;
        if (need > 1 << 30) throw new IllegalStateException("an index of " + rows + " rows");
        return Math.max(16, Integer.highestOneBit((int) need - 1) << 1);
    }

    private static void insert(int[] slots, int hash, int row) {
        int mask = slots.length - 1;
        int i = spread(hash) & mask;
        while (slots[i] != 0) i = (i + 1) & mask;
        slots[i] = row + 1;
    }

    /** Mixes the bits so that keys differing only in high bits do not collide in the low ones linear probing uses. */
    private static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
