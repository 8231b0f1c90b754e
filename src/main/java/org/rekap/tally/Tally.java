package org.rekap.tally;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.rekap.contest.Contest;
import org.rekap.contest.ContestKind;
import org.rekap.contest.Election;
import org.rekap.region.RegionTree;
import org.rekap.sheet.TallySheet;

/**
 * The results of every contest, kept up to date one sheet at a time. Not thread-safe: the log writer mutates it and
 * the publisher reads it while holding the tally's monitor ({@code synchronized (tally)}).
 */
public final class Tally {
    private final Election election;
    private final Map<String, ContestTally> contests = new LinkedHashMap<>();
    private long logSize;

    /** Per party-list kind with more than one contest: the roll-up of party totals across all its contests. */
    private final Map<ContestKind, ContestTally> rollups = new LinkedHashMap<>();
    /** For each party-list contest, the roll-up index of each of its choices. */
    private final Map<String, int[]> rollupMap = new LinkedHashMap<>();

    public Tally(Election election) {
        this.election = election;
        for (Contest c : election.contests()) contests.put(c.id(), new ContestTally(c, election.tree(), election.districtRoots(c.id())));
        for (Contest r : election.rollups()) {
            ContestTally rollup = new ContestTally(r, election.tree(), election.districtRoots(r.id()));
            rollups.put(r.kind(), rollup);
            contests.put(r.id(), rollup);
            for (Contest c : election.contests()) {
                if (c.kind() != r.kind()) continue;
                int[] map = new int[c.choices().size()];
                for (int i = 0; i < map.length; i++) map[i] = r.choiceIndex(c.choices().get(i).number());
                rollupMap.put(c.id(), map);
            }
        }
    }

    public Election election() {
        return election;
    }

    /**
     * Makes {@code sheet} the current sheet of its TPS and contest, counted when {@code counted}, otherwise held for
     * review; an earlier sheet's numbers are taken out.
     */
    public void set(long seq, TallySheet sheet, boolean counted) {
        ContestTally ct = contest(sheet.contest());
        int tps = election.tree().index(sheet.tps());
        ct.set(tps, seq, sheet, counted);
        ContestTally rollup = rollups.get(ct.contest.kind());
        if (rollup != null) rollup.setMapped(tps, seq, sheet, rollupMap.get(ct.contest.id()), counted);
    }

    /** The current status of a TPS in a contest. */
    public SheetStatus status(String contestId, int tps) {
        return switch (contest(contestId).status(tps)) {
            case ContestTally.COUNTED -> SheetStatus.COUNTED;
            case ContestTally.HELD -> SheetStatus.HELD;
            default -> SheetStatus.NONE;
        };
    }

    /** Sequence number of the TPS's current sheet in the contest, or -1. */
    public long currentSeq(String contestId, int tps) {
        return contest(contestId).seq(tps);
    }

    /** Records that every entry before {@code size} has been applied. */
    public void advanceTo(long size) {
        logSize = size;
    }

    public long logSize() {
        return logSize;
    }

    /** Totals of a region or TPS, or null when the contest has nothing there. */
    public Totals totals(String contestId, int node) {
        ContestTally ct = contest(contestId);
        return election.tree().isTps(node) ? ct.tpsTotals(node) : ct.regionTotals(node);
    }

    /** The log size just after the entry that last changed this region's numbers for the contest (0: never). */
    public long changedAt(String contestId, int node) {
        return contest(contestId).changedAt(node);
    }

    /** Region nodes of the contest whose totals changed since the last call, and forgets them. */
    public List<Integer> drainDirty(String contestId) {
        ContestTally ct = contest(contestId);
        List<Integer> out = new ArrayList<>(ct.dirty.cardinality());
        for (int s = ct.dirty.nextSetBit(0); s >= 0; s = ct.dirty.nextSetBit(s + 1)) out.add(ct.slotNode(s));
        ct.dirty.clear();
        return out;
    }

    /** Whether the contest has totals at this region (it lies in the district or above it). */
    public boolean has(String contestId, int node) {
        return presence(contestId).test(node);
    }

    /**
     * {@link #has} for one contest, looked up once: for callers that ask about every region (millions of questions at
     * national scale, where a lookup of the contest by id each time shows in a start's profile).
     */
    public IntPredicate presence(String contestId) {
        ContestTally ct = contest(contestId);
        RegionTree tree = election.tree();
        return node -> tree.isTps(node) ? ct.tpsLocal(node) >= 0 : ct.slot(node) >= 0;
    }

    /** The children of a region that the contest has totals for, in tree order. */
    public List<Integer> children(String contestId, int node) {
        RegionTree tree = election.tree();
        List<Integer> out = new ArrayList<>(tree.childCount(node));
        for (int k = 0; k < tree.childCount(node); k++) {
            int c = tree.child(node, k);
            if (has(contestId, c)) out.add(c);
        }
        return out;
    }

    /** Writes the whole tally (every contest and roll-up, and the log size it reflects), for a later {@link #readState}. */
    public void writeState(java.io.DataOutput out) throws java.io.IOException {
        out.writeLong(logSize);
        out.writeInt(contests.size());
        for (ContestTally ct : contests.values()) {
            out.writeUTF(ct.contest.id());
            ct.writeState(out);
        }
    }

    /**
     * Restores into this fresh tally what {@link #writeState} wrote from a tally of the same election. Every region
     * is marked changed, as after a replay, so the first snapshot renders everything.
     *
     * @throws java.io.IOException when the data does not fit this election's contests
     */
    public void readState(java.io.DataInput in) throws java.io.IOException {
        long size = in.readLong();
        if (in.readInt() != contests.size()) throw new java.io.IOException("the saved tally has other contests");
        for (ContestTally ct : contests.values()) {
            String id = in.readUTF();
            if (!id.equals(ct.contest.id())) throw new java.io.IOException("saved contest " + id + " is not " + ct.contest.id());
            ct.readState(in);
        }
        logSize = size;
    }

    private ContestTally contest(String id) {
        ContestTally ct = contests.get(id);
        if (ct == null) throw new IllegalArgumentException("no contest " + id);
        return ct;
    }
}
