package org.rekap.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChunkedArrayTest {
    /** Seeded random changes: each version equals a plain array given the same writes, and earlier versions never change. */
    @Test
    void everyVersionIsAPlainArrayAndEarlierVersionsStayAsTheyWere() {
        SplittableRandom rnd = new SplittableRandom(5);
        int length = 5_000; // several chunks and a partial last one
        ChunkedArray<Integer> array = ChunkedArray.empty(length);
        Integer[] plain = new Integer[length];
        List<ChunkedArray<Integer>> versions = new ArrayList<>();
        List<Integer[]> expected = new ArrayList<>();
        for (int round = 0; round < 200; round++) {
            int n = rnd.nextInt(0, 300);
            int[] at = new int[n];
            Integer[] values = new Integer[n];
            for (int k = 0; k < n; k++) {
                at[k] = rnd.nextInt(length);
                values[k] = rnd.nextInt();
                plain[at[k]] = values[k];
            }
            array = array.with(at, values);
            versions.add(array);
            expected.add(plain.clone());
        }
        for (int v = 0; v < versions.size(); v++) {
            Integer[] got = new Integer[length];
            for (int i = 0; i < length; i++) got[i] = versions.get(v).get(i);
            assertThat(Arrays.equals(got, expected.get(v))).as("version " + v).isTrue();
        }
        assertThat(array.length()).isEqualTo(length);
        assertThatThrownBy(() -> ChunkedArray.<Integer>empty(3).get(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
