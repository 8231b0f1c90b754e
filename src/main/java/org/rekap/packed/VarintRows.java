package org.rekap.packed;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A table of rows of {@code width} ints each, a row either absent or holding a value for every column, packed as
 * varints (7 bits a byte, the int read as unsigned: 0 to 127 in one byte, up to 16,383 in two, a negative in five)
 * back to back in one byte array, with an offset per row. A TPS's votes are mostly below a few hundred, so a row
 * of a national DPR sheet (145 counts) takes about 150 bytes here against 600 as an {@code int[]}, and there is no
 * object per row. A row replaced by a longer one is written anew at the end; the bytes it left are reclaimed when
 * the table is saved ({@link #writeTo}), which writes the rows back to back. Not thread-safe.
 */
public final class VarintRows {
    private static final int NONE = -1;

    private final int width;
    private final int[] offset;
    private byte[] arena;
    private int used;

    public VarintRows(int rows, int width) {
        if (width < 0 || width > (Integer.MAX_VALUE >> 3)) throw new IllegalArgumentException("width " + width);
        this.width = width;
        this.offset = new int[rows];
        Arrays.fill(offset, NONE);
        this.arena = new byte[Math.min(1 << 16, Math.max(16, rows * Math.min(width, 8)))];
    }

    private VarintRows(int width, int[] offset, byte[] arena) {
        this.width = width;
        this.offset = offset;
        this.arena = arena;
        this.used = arena.length;
    }

    public int rows() {
        return offset.length;
    }

    public int width() {
        return width;
    }

    public boolean has(int row) {
        return offset[row] != NONE;
    }

    /** Decodes the row into {@code into[0, width)}; false, and {@code into} untouched, when the row is absent. */
    public boolean get(int row, int[] into) {
        int p = offset[row];
        if (p == NONE) return false;
        byte[] a = arena;
        for (int k = 0; k < width; k++) {
            int v = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = a[p++];
                v |= (b & 0x7f) << shift;
                if (b >= 0) break;
            }
            into[k] = v;
        }
        return true;
    }

    /** Makes the row hold {@code values[0, width)}, or absent when {@code values} is null. */
    public void set(int row, int[] values) {
        if (values == null) {
            offset[row] = NONE;
            return;
        }
        int size = 0;
        for (int k = 0; k < width; k++) size += size(values[k]);
        int p = offset[row];
        if (p == NONE || rowSize(p) < size) {
            if (used + size > arena.length) grow(size);
            p = used;
            used += size;
        }
        offset[row] = p;
        for (int k = 0; k < width; k++) p = put(values[k], p);
    }

    private void grow(int size) {
        long want = Math.max((long) used + size, (long) arena.length + (arena.length >> 1));
        if (want > Integer.MAX_VALUE - 16) want = (long) used + size;
        if (want > Integer.MAX_VALUE - 16) throw new IllegalStateException("rows beyond 2 GiB");
        arena = Arrays.copyOf(arena, (int) want);
    }

    private static int size(int v) {
        return v >>> 7 == 0 ? 1 : v >>> 14 == 0 ? 2 : v >>> 21 == 0 ? 3 : v >>> 28 == 0 ? 4 : 5;
    }

    private int put(int v, int p) {
        while (v >>> 7 != 0) {
            arena[p++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        arena[p++] = (byte) v;
        return p;
    }

    /** Bytes of the row starting at {@code p}. */
    private int rowSize(int p) {
        int start = p;
        for (int k = 0; k < width; k++) while (arena[p++] < 0) { }
        return p - start;
    }

    /** Writes the present rows back to back (what replacements left behind is dropped), for {@link #readFrom}. */
    public void writeTo(DataOutput out) throws IOException {
        int[] packed = new int[offset.length];
        int size = 0;
        for (int r = 0; r < offset.length; r++) {
            packed[r] = offset[r] == NONE ? NONE : size;
            if (offset[r] != NONE) size += rowSize(offset[r]);
        }
        out.writeInt(width);
        Bulk.writeInts(out, packed, packed.length);
        out.writeInt(size);
        for (int r = 0; r < offset.length; r++)
            if (offset[r] != NONE) out.write(arena, offset[r], rowSize(offset[r]));
    }

    /**
     * Reads what {@link #writeTo} wrote for a table of this shape.
     *
     * @throws IOException when it is of another shape, or an offset or row falls outside the bytes
     */
    public static VarintRows readFrom(DataInput in, int rows, int width) throws IOException {
        if (in.readInt() != width) throw new IOException("saved rows of another width");
        int[] offset = Bulk.readInts(in, rows);
        if (offset.length != rows) throw new IOException("saved " + offset.length + " rows, not " + rows);
        byte[] arena = Bulk.readBytes(in, Integer.MAX_VALUE - 16);
        VarintRows t = new VarintRows(width, offset, arena);
        // Every row must decode within the bytes: a bad offset would otherwise fail later, in the middle of a sheet.
        int end = 0;
        for (int r = 0; r < rows; r++) {
            int p = offset[r];
            if (p == NONE) continue;
            if (p != end) throw new IOException("saved row " + r + " does not follow the one before");
            end = p + t.checkedRowSize(p);
        }
        if (end != arena.length) throw new IOException("saved rows end at " + end + " of " + arena.length + " bytes");
        return t;
    }

    private int checkedRowSize(int p) throws IOException {
        int start = p;
        for (int k = 0; k < width; k++) {
            for (int n = 0; ; n++) {
                if (p >= used || n == 5) throw new IOException("saved row at " + start + " is malformed");
                if (arena[p++] >= 0) break;
            }
        }
        return p - start;
    }
}
