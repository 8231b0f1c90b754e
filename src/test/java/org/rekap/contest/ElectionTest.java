package org.rekap.contest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rekap.region.Region;
import org.rekap.region.RegionTree;
import org.rekap.region.TpsNumbers;

class ElectionTest {
    /** Three provinces with one TPS each. */
    private static final RegionTree TREE = RegionTree.of("ROOT", List.of(
            new Region("1", "", "provinsi", "SATU", 0), new Region("2", "", "provinsi", "DUA", 0),
            new Region("3", "", "provinsi", "TIGA", 0),
            new Region(TpsNumbers.tpsCode("1", 1), "1", RegionTree.TPS_LEVEL, "TPS 1", 200),
            new Region(TpsNumbers.tpsCode("2", 1), "2", RegionTree.TPS_LEVEL, "TPS 1", 210),
            new Region(TpsNumbers.tpsCode("3", 1), "3", RegionTree.TPS_LEVEL, "TPS 1", 220)));

    private static Contest dpr(String id, String... district) {
        return new Contest(id, ContestKind.DPR, id, List.of(district), List.of(
                new Choice(1, "P1", List.of(new Candidate(1, "A"))), new Choice(2, "P2", List.of())));
    }

    @Test
    void twoDapilsOfOneKindMayNotShareARegion() {
        assertThatThrownBy(() -> new Election(TREE, List.of(dpr("dpr-a", "0"), dpr("dpr-b", "1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dpr-a").hasMessageContaining("dpr-b").hasMessageContaining("overlap at region 1");
    }

    @Test
    void theRollUpCoversExactlyTheUnionOfTheDapils() {
        Election e = new Election(TREE, List.of(dpr("dpr-a", "1"), dpr("dpr-b", "2")));
        Contest rollup = e.rollups().getFirst();
        assertThat(rollup.id()).isEqualTo("dpr");
        assertThat(rollup.district()).containsExactly("1", "2");
        assertThat(e.covers(rollup, TREE.index("3.001"))).isFalse();
        assertThat(e.covers(rollup, TREE.index("2.001"))).isTrue();
        assertThat(rollup.choices()).extracting(Choice::number).containsExactly(1, 2);
        assertThat(rollup.choices()).allMatch(c -> c.candidates().isEmpty());
    }

    @Test
    void aContestMayNotTakeTheRollUpsId() {
        assertThatThrownBy(() -> new Election(TREE, List.of(dpr("dpr", "1"), dpr("dpr-b", "2"))))
                .hasMessageContaining("reserved");
    }
}
