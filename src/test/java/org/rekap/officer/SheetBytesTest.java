package org.rekap.officer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rekap.contest.Contest;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.region.RegionTree;
import org.rekap.sheet.Ballots;
import org.rekap.sheet.ChoiceVotes;
import org.rekap.sheet.SexCount;
import org.rekap.sheet.TallySheet;
import org.rekap.sheet.VoterLists;

/** {@link SheetBytes} gives back the very sheet it packed, and refuses bytes it did not write. */
class SheetBytesTest {
    @Test
    void everyGeneratedSheetComesBackEqual() {
        SyntheticElection e = SyntheticElection.of(Scale.SMALL, 3);
        RegionTree tree = e.tree();
        int n = 0;
        for (int t = tree.regionCount(); t < tree.size(); t++) {
            for (Contest c : e.election().contestsAt(t)) {
                TallySheet s = e.sheet(t, c);
                assertThat(SheetBytes.read(SheetBytes.of(s))).isEqualTo(s);
                n++;
            }
        }
        assertThat(n).isGreaterThan(100);
    }

    @Test
    void anyNumbersAndTextsComeBackEqual() {
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 500; i++) {
            TallySheet s = random(r);
            byte[] b = SheetBytes.of(s);
            assertThat(SheetBytes.read(b)).isEqualTo(s);
            // Cut short anywhere, or followed by more, the bytes are refused rather than read as another sheet.
            int cut = r.nextInt(b.length);
            assertThatThrownBy(() -> SheetBytes.read(java.util.Arrays.copyOf(b, cut))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SheetBytes.read(java.util.Arrays.copyOf(b, b.length + 1))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static TallySheet random(SplittableRandom r) {
        List<ChoiceVotes> votes = new ArrayList<>();
        for (int c = r.nextInt(5); c > 0; c--) {
            List<Integer> cand = new ArrayList<>();
            for (int k = r.nextInt(4); k > 0; k--) cand.add(number(r));
            votes.add(new ChoiceVotes(number(r), number(r), cand, number(r)));
        }
        List<String> photos = new ArrayList<>();
        for (int k = r.nextInt(3); k > 0; k--) photos.add(r.nextBoolean() ? "foto-\u00e9\u4e2d-" + r.nextInt() : "");
        return new TallySheet("tps-" + r.nextInt(100), r.nextBoolean() ? "ppwp" : "dpr-\u00fc", lists(r), lists(r),
                new Ballots(number(r), number(r), number(r), number(r)), votes, number(r), number(r), number(r), photos);
    }

    private static VoterLists lists(SplittableRandom r) {
        return new VoterLists(sex(r), sex(r), sex(r), sex(r));
    }

    private static SexCount sex(SplittableRandom r) {
        return new SexCount(number(r), number(r), number(r));
    }

    private static int number(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt();
            case 1 -> -r.nextInt(1000);
            default -> r.nextInt(300);
        };
    }
}
