package org.rekap.tally;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Sums} against a {@code long[]}: exact whether or not a sum ever leaves the int range, and across saves. */
class SumsTest {
    @Test
    void addsLikeLongsThroughOverflowAndSaves() throws IOException {
        for (long seed = 1; seed <= 30; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int size = 1 + r.nextInt(50);
            Sums sums = new Sums(size);
            long[] ref = new long[size];
            boolean big = seed % 3 == 0; // a third of the runs push sums beyond an int
            for (int step = 0; step < 2000; step++) {
                int i = r.nextInt(size);
                long delta = big && r.nextInt(50) == 0 ? r.nextLong(1L << 33) - (1L << 32) : r.nextInt(601) - 300;
                sums.add(i, delta);
                ref[i] += delta;
                if (r.nextInt(400) == 0) sums = saveAndRead(sums);
                int probe = r.nextInt(size);
                assertThat(sums.get(probe)).as("seed %d index %d", seed, probe).isEqualTo(ref[probe]);
            }
            for (int i = 0; i < size; i++) assertThat(sums.get(i)).isEqualTo(ref[i]);
        }
    }

    @Test
    void savedSumsOfAnotherSizeAreRefused() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        new Sums(3).writeTo(new DataOutputStream(b));
        assertThatThrownBy(() -> new Sums(4).readFrom(new DataInputStream(new ByteArrayInputStream(b.toByteArray()))))
                .isInstanceOf(IOException.class);
    }

    private static Sums saveAndRead(Sums s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        s.writeTo(new DataOutputStream(b));
        Sums read = new Sums(s.size());
        read.readFrom(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));
        return read;
    }
}
