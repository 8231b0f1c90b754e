package org.rekap.publish;

import java.util.Arrays;

/**
 * An immutable array of a fixed length, stored as chunks so that a version with a few changes shares every untouched
 * chunk with the one before: a snapshot that changes a few hundred of 275,000 views copies a few hundred chunk slots
 * and the chunks they fall in, not the whole array.
 */
final class ChunkedArray<T> {
    private static final int SHIFT = 10, CHUNK = 1 << SHIFT, MASK = CHUNK - 1;
    private final Object[][] chunks;
    private final int length;

    private ChunkedArray(Object[][] chunks, int length) {
        this.chunks = chunks;
        this.length = length;
    }

    /** An array of {@code length} nulls. */
    static <T> ChunkedArray<T> empty(int length) {
        return new ChunkedArray<>(new Object[(length + MASK) >>> SHIFT][], length);
    }

    int length() {
        return length;
    }

    @SuppressWarnings("unchecked")
    T get(int i) {
        if (i < 0 || i >= length) throw new IndexOutOfBoundsException(i);
        Object[] chunk = chunks[i >>> SHIFT];
        return chunk == null ? null : (T) chunk[i & MASK];
    }

    /** This array with {@code values[k]} at {@code at[k]}; this one is not modified. */
    ChunkedArray<T> with(int[] at, T[] values) {
        if (at.length == 0) return this;
        Object[][] next = chunks.clone();
        boolean[] copied = new boolean[next.length];
        for (int k = 0; k < at.length; k++) {
            int i = at[k];
            if (i < 0 || i >= length) throw new IndexOutOfBoundsException(i);
            int c = i >>> SHIFT;
            if (!copied[c]) {
                next[c] = next[c] == null ? new Object[Math.min(CHUNK, length - (c << SHIFT))] : next[c].clone();
                copied[c] = true;
            }
            next[c][i & MASK] = values[k];
        }
        return new ChunkedArray<>(next, length);
    }

    @Override
    public String toString() {
        return "ChunkedArray[" + length + ", " + Arrays.stream(chunks).filter(c -> c != null).count() + " chunks]";
    }
}
