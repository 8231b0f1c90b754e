package org.rekap.tally;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.rekap.contest.Choice;
import org.rekap.contest.Contest;
import org.rekap.packed.Bulk;
import org.rekap.packed.VarintRows;
import org.rekap.region.RegionTree;
import org.rekap.sheet.ChoiceVotes;
import org.rekap.sheet.TallySheet;

/**
 * Sums for one contest in flat arrays. Regions of the district (and their ancestors up to the root) each own a slot
 * of {@code width} sums; a TPS's contribution is kept (packed, {@link VarintRows}) so that a later version of its
 * sheet can replace it.
 */
final class ContestTally {
    static final byte NONE = 0, COUNTED = 1, HELD = 2;
    private static final int TPS_COUNTED = 0, TPS_HELD = 1, VOTED = 2, VALID = 3, INVALID = 4, CAST = 5, CHOICES = 6;

    final Contest contest;
    private final RegionTree tree;
    private final int[] roots;
    private final int choices;
    private final int width;
    /** Region node -> slot: district subtrees are index ranges, their ancestors a small map. */
    private final int[] rangeStart, rangeEnd, rangeSlot;
    private final Map<Integer, Integer> ancestorSlot = new HashMap<>();
    private final int[] slotNode;
    private final Sums sums;
    private final long[] tpsTotal;
    /** The log size just after the entry that last changed each slot's numbers (0: never). */
    private final long[] changedAt;
    private final long[] dpt;
    /** TPS node -> local TPS index, again by ranges. */
    private final int[] tpsRangeStart, tpsRangeEnd, tpsRangeBase;
    private final byte[] tpsStatus;
    /** Each counted TPS's numbers in slot layout from VOTED on; absent when held or without a sheet. */
    private VarintRows tpsVector;
    private final long[] tpsSeq;
    /** The numbers of the sheet being set and of the one it replaces: one writer, so kept for reuse. */
    private final int[] now, old;
    final BitSet dirty = new BitSet();

    ContestTally(Contest contest, RegionTree tree, int[] roots) {
        this.contest = contest;
        this.tree = tree;
        this.roots = roots.clone();
        this.choices = contest.choices().size();
        this.width = CHOICES + choices + contest.candidateCount();
        int n = roots.length;
        rangeStart = new int[n];
        rangeEnd = new int[n];
        rangeSlot = new int[n];
        tpsRangeStart = new int[n];
        tpsRangeEnd = new int[n];
        tpsRangeBase = new int[n];
        int slots = 0, tpsCount = 0;
        for (int k = 0; k < n; k++) {
            int r = roots[k];
            rangeStart[k] = r;
            rangeEnd[k] = tree.regionEnd(r);
            rangeSlot[k] = slots;
            slots += rangeEnd[k] - rangeStart[k];
            tpsRangeStart[k] = tree.tpsStart(r);
            tpsRangeEnd[k] = tree.tpsEnd(r);
            tpsRangeBase[k] = tpsCount;
            tpsCount += tpsRangeEnd[k] - tpsRangeStart[k];
        }
        for (int r : roots)
            for (int p = tree.parent(r); p >= 0; p = tree.parent(p))
                if (slotInRanges(p) < 0 && !ancestorSlot.containsKey(p)) ancestorSlot.put(p, slots++);
        slotNode = new int[slots];
        for (int k = 0; k < n; k++)
            for (int i = rangeStart[k]; i < rangeEnd[k]; i++) slotNode[rangeSlot[k] + i - rangeStart[k]] = i;
        ancestorSlot.forEach((node, slot) -> slotNode[slot] = node);
        sums = new Sums(slots * width);
        tpsTotal = new long[slots];
        changedAt = new long[slots];
        dpt = new long[slots];
        tpsStatus = new byte[tpsCount];
        tpsVector = new VarintRows(tpsCount, width - VOTED);
        now = new int[width - VOTED];
        old = new int[width - VOTED];
        tpsSeq = new long[tpsCount];
        // Every TPS under a region of the district votes here, so the tree's own subtree totals are the slot's;
        // a slot above the district sums the district roots beneath it.
        for (int s = 0; s < slots; s++) {
            int node = slotNode[s];
            if (slotInRanges(node) >= 0) {
                tpsTotal[s] = tree.tpsTotal(node);
                dpt[s] = tree.dptTotal(node);
            } else {
                for (int r : roots) {
                    if (!tree.within(r, node)) continue;
                    tpsTotal[s] += tree.tpsTotal(r);
                    dpt[s] += tree.dptTotal(r);
                }
            }
        }
        dirty.set(0, slots);
    }

    private int slotInRanges(int node) {
        for (int k = 0; k < rangeStart.length; k++)
            if (node >= rangeStart[k] && node < rangeEnd[k]) return rangeSlot[k] + node - rangeStart[k];
        return -1;
    }

    /** The slot of a region node, or -1 when the contest has nothing there. */
    int slot(int node) {
        int s = slotInRanges(node);
        if (s >= 0) return s;
        Integer a = ancestorSlot.get(node);
        return a == null ? -1 : a;
    }

    /** The log size at which a region's numbers last changed, a function of the log alone (0 when never). */
    long changedAt(int node) {
        int s = slot(node);
        return s < 0 ? 0 : changedAt[s];
    }

    int slotCount() {
        return slotNode.length;
    }

    int slotNode(int slot) {
        return slotNode[slot];
    }

    /** Local index of a TPS node in this contest, or -1 when it does not vote here. */
    int tpsLocal(int node) {
        for (int k = 0; k < tpsRangeStart.length; k++)
            if (node >= tpsRangeStart[k] && node < tpsRangeEnd[k]) return tpsRangeBase[k] + node - tpsRangeStart[k];
        return -1;
    }

    byte status(int tps) {
        int t = tpsLocal(tps);
        return t < 0 ? NONE : tpsStatus[t];
    }

    long seq(int tps) {
        int t = tpsLocal(tps);
        return t < 0 || tpsStatus[t] == NONE ? -1 : tpsSeq[t];
    }

    /** Makes this sheet the TPS's current one: counted into the sums, or held apart, replacing any earlier one. */
    void set(int tps, long seq, TallySheet sheet, boolean counted) {
        if (counted) vector(sheet);
        set(tps, seq, counted);
    }

    /**
     * Adds a sheet of another contest whose choices map onto this one's ({@code choiceMap[i]} = this contest's index
     * of the sheet's i-th choice): how a roll-up across dapils sums each party's totals.
     */
    void setMapped(int tps, long seq, TallySheet sheet, int[] choiceMap, boolean counted) {
        if (counted) {
            java.util.Arrays.fill(now, 0);
            scalars(sheet);
            // The party's own votes plus its candidates', as the dapil's tally counts them (not the total as written).
            for (int i = 0; i < choiceMap.length; i++) {
                ChoiceVotes cv = sheet.votes().get(i);
                int sum = cv.votes();
                for (int c : cv.candidates()) sum += c;
                now[CHOICES - VOTED + choiceMap[i]] += sum;
            }
        }
        set(tps, seq, counted);
    }

    /** Makes {@link #now} (when counted) the TPS's numbers, taking out those of its earlier sheet. */
    private void set(int tps, long seq, boolean counted) {
        int t = tpsLocal(tps);
        if (t < 0) throw new IllegalArgumentException("TPS " + tree.code(tps) + " does not vote in " + contest.id());
        boolean hadOld = tpsVector.get(t, old);
        byte oldStatus = tpsStatus[t];
        byte status = counted ? COUNTED : HELD;
        for (int p = tree.parent(tps); p >= 0; p = tree.parent(p)) {
            int slot = slot(p);
            int base = slot * width;
            if (oldStatus == COUNTED) sums.add(base + TPS_COUNTED, -1);
            if (oldStatus == HELD) sums.add(base + TPS_HELD, -1);
            sums.add(base + (status == COUNTED ? TPS_COUNTED : TPS_HELD), 1);
            for (int k = 0; k < now.length; k++) {
                long delta = (counted ? now[k] : 0) - (hadOld ? (long) old[k] : 0);
                if (delta != 0) sums.add(base + VOTED + k, delta);
            }
            dirty.set(slot);
            changedAt[slot] = seq + 1;
        }
        tpsVector.set(t, counted ? now : null);
        tpsStatus[t] = status;
        tpsSeq[t] = seq;
    }

    /** The sheet's numbers in slot layout, starting at VOTED, into {@link #now}. */
    private void vector(TallySheet s) {
        java.util.Arrays.fill(now, 0);
        scalars(s);
        int cand = CHOICES - VOTED + choices;
        for (int i = 0; i < choices; i++) {
            ChoiceVotes cv = s.votes().get(i);
            now[CHOICES - VOTED + i] = cv.votes();
            for (int c : cv.candidates()) now[cand++] = c;
        }
    }

    private void scalars(TallySheet s) {
        now[0] = s.voted().total().total();
        now[VALID - VOTED] = s.valid();
        now[INVALID - VOTED] = s.invalid();
        now[CAST - VOTED] = s.cast();
    }

    Totals regionTotals(int node) {
        int s = slot(node);
        if (s < 0) return null;
        int base = s * width;
        return totals(node, sums.get(base + TPS_COUNTED), sums.get(base + TPS_HELD), tpsTotal[s], dpt[s],
                k -> sums.get(base + VOTED + k));
    }

    Totals tpsTotals(int tps) {
        int t = tpsLocal(tps);
        if (t < 0) return null;
        int[] v = new int[width - VOTED];
        tpsVector.get(t, v);
        return totals(tps, tpsStatus[t] == COUNTED ? 1 : 0, tpsStatus[t] == HELD ? 1 : 0, 1, tree.dpt(tps),
                k -> v[k]);
    }

    private Totals totals(int node, long counted, long held, long total, long dpt, java.util.function.IntToLongFunction at) {
        long[] own = new long[choices];
        long[] totals = new long[choices];
        long[] cand = new long[width - CHOICES - choices];
        int c = 0;
        for (int i = 0; i < choices; i++) {
            own[i] = at.applyAsLong(CHOICES - VOTED + i);
            totals[i] = own[i];
            Choice choice = contest.choices().get(i);
            for (int k = 0; k < choice.candidates().size(); k++, c++) {
                cand[c] = at.applyAsLong(CHOICES - VOTED + choices + c);
                totals[i] += cand[c];
            }
        }
        return new Totals(node, counted, held, total, dpt, at.applyAsLong(0), at.applyAsLong(VALID - VOTED),
                at.applyAsLong(INVALID - VOTED), at.applyAsLong(CAST - VOTED), own, totals, cand);
    }

    int[] roots() {
        return roots.clone();
    }

    /** Writes what the log has made of this contest (the rest follows from the tree and the district). */
    void writeState(java.io.DataOutput out) throws java.io.IOException {
        // A contest no sheet has reached yet (DPR and DPD while only PPWP is in) is all zeros: one byte says so.
        boolean touched = false;
        for (byte b : tpsStatus) touched |= b != NONE;
        out.writeBoolean(touched);
        if (!touched) return;
        sums.writeTo(out);
        Bulk.writeLongs(out, changedAt, changedAt.length);
        Bulk.writeBytes(out, tpsStatus, tpsStatus.length);
        Bulk.writeLongs(out, tpsSeq, tpsSeq.length);
        tpsVector.writeTo(out);
    }

    /**
     * Reads what {@link #writeState} wrote into this fresh tally of the same contest.
     *
     * @throws java.io.IOException when the data is for a tally of another shape
     */
    void readState(java.io.DataInput in) throws java.io.IOException {
        if (!in.readBoolean()) return;
        sums.readFrom(in);
        long[] at = Bulk.readLongs(in, changedAt.length);
        byte[] status = Bulk.readBytes(in, tpsStatus.length);
        long[] seq = Bulk.readLongs(in, tpsSeq.length);
        if (at.length != changedAt.length || status.length != tpsStatus.length || seq.length != tpsSeq.length)
            throw new java.io.IOException("the saved tally of " + contest.id() + " has another shape");
        VarintRows vectors = VarintRows.readFrom(in, tpsStatus.length, width - VOTED);
        for (int t = 0; t < status.length; t++) {
            if (status[t] < NONE || status[t] > HELD) throw new java.io.IOException("bad TPS status " + status[t]);
            if (vectors.has(t) != (status[t] == COUNTED))
                throw new java.io.IOException("the saved numbers of TPS " + t + " of " + contest.id() + " disagree with its status");
        }
        System.arraycopy(at, 0, changedAt, 0, at.length);
        System.arraycopy(status, 0, tpsStatus, 0, status.length);
        System.arraycopy(seq, 0, tpsSeq, 0, seq.length);
        tpsVector = vectors;
    }
}
