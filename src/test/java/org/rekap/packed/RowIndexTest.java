package org.rekap.packed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link RowIndex} over a list of keys, against a {@code HashMap}, with hashes that often collide. */
class RowIndexTest {
    @Test
    void findsEveryAddedRowAndNothingElseThroughGrowthAndCollisions() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int keySpace = 10 + r.nextInt(5000);
            int hashBits = 1 + r.nextInt(31); // few bits: many keys share a hash
            List<Long> keys = new ArrayList<>();
            RowIndex index = new RowIndex(row -> hash(keys.get(row), hashBits));
            Map<Long, Integer> ref = new HashMap<>();
            if (r.nextBoolean()) index.reserve(r.nextInt(keySpace));
            for (int step = 0; step < 4000; step++) {
                long key = r.nextLong(keySpace);
                int found = index.find(hash(key, hashBits), row -> keys.get(row) == key);
                assertThat(found).as("seed %d key %d", seed, key).isEqualTo(ref.getOrDefault(key, -1));
                if (r.nextInt(3) > 0) {
                    keys.add(key);
                    int row = keys.size() - 1;
                    if (found >= 0) {
                        // A key already there: addIfAbsent names its row and adds nothing.
                        assertThat(index.addIfAbsent(hash(key, hashBits), row, x -> keys.get(x) == key)).isEqualTo(found);
                        continue;
                    }
                    if (r.nextBoolean()) index.add(hash(key, hashBits), row);
                    else assertThat(index.addIfAbsent(hash(key, hashBits), row, x -> keys.get(x) == key)).isEqualTo(-1);
                    ref.put(key, row);
                }
            }
            assertThat(index.size()).isEqualTo(ref.size());
        }
    }

    private static int hash(long key, int bits) {
        return (int) (Long.hashCode(key * 0x9E3779B97F4A7C15L) & ((1L << bits) - 1));
    }
}
