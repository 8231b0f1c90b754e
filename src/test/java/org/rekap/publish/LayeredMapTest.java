package org.rekap.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LayeredMapTest {
    /** Seeded random changes: the layered map always equals a plain map given the same puts, and never changes. */
    @Test
    void behavesLikeAPlainMapThroughLayersAndFolds() {
        SplittableRandom rnd = new SplittableRandom(11);
        Map<String, Integer> plain = new HashMap<>();
        for (int i = 0; i < 20_000; i++) plain.put("k" + i, i);
        LayeredMap<String, Integer> layered = LayeredMap.of(plain);
        for (int round = 0; round < 300; round++) {
            Map<String, Integer> changes = new HashMap<>();
            int n = rnd.nextInt(1, 400);
            for (int i = 0; i < n; i++) changes.put("k" + rnd.nextInt(30_000), rnd.nextInt());
            LayeredMap<String, Integer> before = layered;
            Map<String, Integer> beforeCopy = new HashMap<>(before);
            layered = layered.with(changes);
            plain.putAll(changes);
            assertThat(before).as("an earlier snapshot is untouched").isEqualTo(beforeCopy);
            for (int i = 0; i < 200; i++) {
                String k = "k" + rnd.nextInt(31_000);
                assertThat(layered.get(k)).isEqualTo(plain.get(k));
                assertThat(layered.containsKey(k)).isEqualTo(plain.containsKey(k));
            }
        }
        assertThat(layered).isEqualTo(plain);
        assertThat(layered.size()).isEqualTo(plain.size());
    }
}
