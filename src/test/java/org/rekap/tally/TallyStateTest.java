package org.rekap.tally;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.rekap.contest.Contest;
import org.rekap.contest.ContestKind;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.region.RegionTree;

/** A tally written and read back gives every total, status and sequence number it had, touched contests or not. */
class TallyStateTest {
    @Test
    void aSavedTallyReadsBackTheSameWhenOnlySomeContestsHaveSheets() throws IOException {
        SyntheticElection e = SyntheticElection.of(Scale.SMALL, 2);
        RegionTree tree = e.tree();
        Tally tally = new Tally(e.election());
        long seq = 0;
        for (int t = tree.regionCount(); t < tree.size(); t++) {
            for (Contest c : e.election().contestsAt(t)) {
                if (c.kind() == ContestKind.DPD) continue; // DPD stays untouched
                tally.set(seq++, e.sheet(t, c), !e.isAnomalous(t, c));
                if (t % 7 == 0) tally.set(seq++, e.sheet(t, c), t % 2 == 0); // replaced: counted or held
            }
        }
        tally.advanceTo(seq);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        tally.writeState(new DataOutputStream(b));
        Tally read = new Tally(e.election());
        read.readState(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));

        assertThat(read.logSize()).isEqualTo(seq);
        int compared = 0;
        for (Contest c : e.election().contests()) {
            for (int node = 0; node < tree.size(); node++) {
                if (!tally.has(c.id(), node)) continue;
                assertThat(read.totals(c.id(), node)).usingRecursiveComparison().isEqualTo(tally.totals(c.id(), node));
                assertThat(read.changedAt(c.id(), node)).isEqualTo(tally.changedAt(c.id(), node));
                if (tree.isTps(node)) {
                    assertThat(read.status(c.id(), node)).isEqualTo(tally.status(c.id(), node));
                    assertThat(read.currentSeq(c.id(), node)).isEqualTo(tally.currentSeq(c.id(), node));
                }
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(400);
        assertThat(read.totals(e.election().contests().stream().filter(c -> c.kind() == ContestKind.DPD).findFirst()
                .orElseThrow().id(), RegionTree.ROOT).tpsCounted()).isZero();
    }
}
