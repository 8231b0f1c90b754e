package org.rekap.generate;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import org.rekap.codec.ContestsJson;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.region.Region;
import org.rekap.region.RegionTree;
import org.rekap.sheet.TallySheet;

/**
 * A deterministic synthetic election: the region tree, the contests, and the tally sheet of any TPS for any contest it
 * votes in. Everything is a function of the {@link Scale} and the seed; a sheet depends only on the seed, the TPS code
 * and the contest id, never on which sheets were drawn before, so sheets can be drawn in any order and in parallel.
 * Immutable and thread-safe; no I/O.
 */
public final class SyntheticElection {
    public static final String ROOT_NAME = "INDONESIA";
    /** The share of sheets that break a consistency rule on purpose. */
    public static final double ANOMALY_RATE = SyntheticSheets.ANOMALY_RATE;

    private final Scale scale;
    private final long seed;
    private final RegionTree tree;
    private final Election election;
    private final ContestsJson.Setup setup;
    private final SyntheticSheets sheets;

    private SyntheticElection(Scale scale, long seed) {
        this.scale = scale;
        this.seed = seed;
        this.tree = RegionTree.of(ROOT_NAME, SyntheticRegions.build(scale, seed));
        List<Contest> contests = SyntheticContests.build(tree, scale, seed);
        this.election = new Election(tree, contests);
        this.setup = new ContestsJson.Setup("Pemilu 2024 (sintetis, skala " + scale.id() + ", seed " + seed + ")",
                ROOT_NAME, contests);
        this.sheets = new SyntheticSheets(seed, election);
    }

    /** Builds the election; national scale takes a few seconds and about a gigabyte of heap at its peak. */
    public static SyntheticElection of(Scale scale, long seed) {
        return new SyntheticElection(scale, seed);
    }

    public Scale scale() { return scale; }
    public long seed() { return seed; }
    public RegionTree tree() { return tree; }
    public Election election() { return election; }
    /** The contests file's content: the election's name, the root's name and the contests in ballot order. */
    public ContestsJson.Setup setup() { return setup; }

    /**
     * Every region row below the root, TPS included with their DPT, in the tree's order (regions in pre-order, then
     * TPS): the rows {@code RegionTree.of(ROOT_NAME, regions())} rebuilds this tree from. A view, not a copy.
     */
    public List<Region> regions() {
        return new Rows(tree);
    }

    /** Sheets over all TPS and the contests each votes in. */
    public long sheetCount() {
        long n = 0;
        for (Contest c : election.contests())
            for (int root : election.districtRoots(c.id())) n += tree.tpsTotal(root);
        return n;
    }

    /**
     * The C.Hasil of TPS {@code tpsIndex} (a node index of {@link #tree()}) for a contest it votes in.
     *
     * @throws IllegalArgumentException if the node is not a TPS, the contest is not this election's, or the TPS does
     *     not vote in it
     */
    public TallySheet sheet(int tpsIndex, Contest contest) {
        return sheets.sheet(tpsIndex, contest);
    }

    /** Whether {@link #sheet} of this TPS and contest breaks a consistency rule on purpose. */
    public boolean isAnomalous(int tpsIndex, Contest contest) {
        return sheets.anomaly(tpsIndex, contest) != null;
    }

    /** Which rule-breaking {@link #sheet} of this TPS and contest carries, or null for a correct sheet. */
    public Anomaly anomaly(int tpsIndex, Contest contest) {
        return sheets.anomaly(tpsIndex, contest);
    }

    private static final class Rows extends AbstractList<Region> implements RandomAccess {
        private final RegionTree tree;

        Rows(RegionTree tree) {
            this.tree = tree;
        }

        @Override
        public Region get(int i) {
            return tree.region(i + 1);
        }

        @Override
        public int size() {
            return tree.size() - 1;
        }
    }
}
