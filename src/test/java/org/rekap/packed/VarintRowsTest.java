package org.rekap.packed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link VarintRows} against an {@code int[][]} doing the same, over seeded random sets, clears and saves. */
class VarintRowsTest {
    @Test
    void behavesLikeAnArrayOfRowsThroughRandomSetsReplacementsClearsAndSaves() throws IOException {
        for (long seed = 1; seed <= 40; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int rows = 1 + r.nextInt(300), width = r.nextInt(40);
            VarintRows t = new VarintRows(rows, width);
            int[][] ref = new int[rows][];
            for (int step = 0; step < 3000; step++) {
                int row = r.nextInt(rows);
                if (r.nextInt(10) == 0) {
                    t.set(row, null);
                    ref[row] = null;
                } else {
                    int[] v = new int[width];
                    for (int k = 0; k < width; k++) v[k] = value(r);
                    t.set(row, v);
                    ref[row] = v.clone();
                    if (width > 0) v[0]++; // the table must have copied the values, not kept the array
                }
                if (r.nextInt(500) == 0) t = saveAndRead(t, rows, width);
                int probe = r.nextInt(rows);
                assertSame(t, ref, probe, seed);
            }
            t = saveAndRead(t, rows, width);
            for (int row = 0; row < rows; row++) assertSame(t, ref, row, seed);
        }
    }

    /** Mostly the small counts of a TPS, sometimes anything an int holds (a verifier may replay any log). */
    private static int value(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> r.nextInt();
            case 1 -> r.nextInt(1 << 20);
            default -> r.nextInt(400);
        };
    }

    private static void assertSame(VarintRows t, int[][] ref, int row, long seed) {
        int[] got = new int[t.width()];
        java.util.Arrays.fill(got, 7);
        boolean present = t.get(row, got);
        assertThat(present).as("seed %d row %d present", seed, row).isEqualTo(ref[row] != null);
        assertThat(t.has(row)).isEqualTo(present);
        if (present) assertThat(got).as("seed %d row %d", seed, row).isEqualTo(ref[row]);
        else assertThat(got).containsOnly(7);
    }

    private static VarintRows saveAndRead(VarintRows t, int rows, int width) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.writeTo(new DataOutputStream(bytes));
        return VarintRows.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), rows, width);
    }

    @Test
    void smallCountsTakeAByteEachAndSavingDropsWhatReplacedRowsLeft() throws IOException {
        VarintRows t = new VarintRows(3, 4);
        t.set(0, new int[] {1, 2, 3, 127});
        t.set(1, new int[] {128, 0, 0, 300});
        t.set(1, new int[] {128, 1, 1, 300}); // as long as before: written in place
        t.set(0, new int[] {16_384, 0, 0, 0}); // longer than before: written anew
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.writeTo(new DataOutputStream(bytes));
        // width, offsets (length + 3 ints), arena length, then the two rows: 1+1+1+1 and 3+1+1+1 bytes dropped for
        // the first's new version, 2+1+1+2 for the second.
        assertThat(bytes.size()).isEqualTo(4 + 4 + 12 + 4 + 6 + 6);
    }

    @Test
    void savedRowsOfAnotherShapeOrWithBadOffsetsAreRefused() throws IOException {
        VarintRows t = new VarintRows(2, 3);
        t.set(0, new int[] {1, 2, 3});
        t.set(1, new int[] {4, 5, 6});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.writeTo(new DataOutputStream(bytes));
        byte[] b = bytes.toByteArray();
        assertThatThrownBy(() -> VarintRows.readFrom(in(b), 2, 4)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> VarintRows.readFrom(in(b), 3, 3)).isInstanceOf(IOException.class);
        byte[] badOffset = b.clone();
        badOffset[4 + 4 + 4 + 3] = 2; // the second row's offset: 2 instead of 3
        assertThatThrownBy(() -> VarintRows.readFrom(in(badOffset), 2, 3)).isInstanceOf(IOException.class);
        byte[] unterminated = b.clone();
        unterminated[b.length - 1] = (byte) 0x86; // the last varint never ends
        assertThatThrownBy(() -> VarintRows.readFrom(in(unterminated), 2, 3)).isInstanceOf(IOException.class);
    }

    private static DataInputStream in(byte[] b) {
        return new DataInputStream(new ByteArrayInputStream(b));
    }
}
