package org.rekap.packed;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Whole primitive arrays to and from a {@link DataOutput}, big-endian like it, a block at a time instead of an element
 * at a time: saved state is hundreds of megabytes, and a call per element is most of the cost of reading it. Each
 * array is preceded by its length, which {@code read*} checks against the caller's limit before allocating.
 */
public final class Bulk {
    private static final int BLOCK = 1 << 16;

    private Bulk() {}

    public static void writeBytes(DataOutput out, byte[] a, int n) throws IOException {
        out.writeInt(n);
        out.write(a, 0, n);
    }

    public static byte[] readBytes(DataInput in, int max) throws IOException {
        byte[] a = new byte[length(in, max)];
        in.readFully(a);
        return a;
    }

    public static void writeInts(DataOutput out, int[] a, int n) throws IOException {
        out.writeInt(n);
        ByteBuffer block = ByteBuffer.allocate(BLOCK);
        for (int from = 0; from < n; ) {
            int k = Math.min(n - from, BLOCK / Integer.BYTES);
            block.clear();
            block.asIntBuffer().put(a, from, k);
            out.write(block.array(), 0, k * Integer.BYTES);
            from += k;
        }
    }

    public static int[] readInts(DataInput in, int max) throws IOException {
        int[] a = new int[length(in, max)];
        byte[] block = new byte[BLOCK];
        for (int from = 0; from < a.length; ) {
            int k = Math.min(a.length - from, BLOCK / Integer.BYTES);
            in.readFully(block, 0, k * Integer.BYTES);
            ByteBuffer.wrap(block).asIntBuffer().get(a, from, k);
            from += k;
        }
        return a;
    }

    public static void writeLongs(DataOutput out, long[] a, int n) throws IOException {
        out.writeInt(n);
        ByteBuffer block = ByteBuffer.allocate(BLOCK);
        for (int from = 0; from < n; ) {
            int k = Math.min(n - from, BLOCK / Long.BYTES);
            block.clear();
            block.asLongBuffer().put(a, from, k);
            out.write(block.array(), 0, k * Long.BYTES);
            from += k;
        }
    }

    public static long[] readLongs(DataInput in, int max) throws IOException {
        long[] a = new long[length(in, max)];
        byte[] block = new byte[BLOCK];
        for (int from = 0; from < a.length; ) {
            int k = Math.min(a.length - from, BLOCK / Long.BYTES);
            in.readFully(block, 0, k * Long.BYTES);
            ByteBuffer.wrap(block).asLongBuffer().get(a, from, k);
            from += k;
        }
        return a;
    }

    /** Reads an array's length and checks it is one the caller can expect (corrupt data must not allocate gigabytes). */
    private static int length(DataInput in, int max) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max) throw new IOException("saved array of " + n + " elements where at most " + max + " fit");
        return n;
    }
}
