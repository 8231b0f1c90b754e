package org.rekap.publish;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rekap.contest.Contest;
import org.rekap.region.RegionTree;
import org.rekap.tally.SheetStatus;
import org.rekap.tally.Tally;
import org.rekap.tally.Totals;

/**
 * The numbers one region document and its TPS rows are rendered from, copied out of the tally at a snapshot and
 * packed as unsigned LEB128 varints in one {@code byte[]} (a few hundred bytes for a village, where its rendered JSON
 * is a few kilobytes and {@link Totals} objects would be three arrays each). Rendering the same frozen bytes always
 * gives the same document, so a document need not exist until someone asks for it.
 *
 * <p>Layout: flags (1 = has TPS children), changedAt, the region's progress, dpt, voted, valid, invalid, cast, each
 * choice's own votes and each candidate's votes; the number of children the contest has here, then per child its
 * position among the tree's children (as a step from the previous one) and:
 * <ul>
 * <li>a TPS: status ordinal plus 4 when numbers follow, the sequence number of its sheet plus one (0: none), and,
 * when not all zero, voted, valid, invalid, cast, own and candidate votes;
 * <li>a region: progress, dpt, voted, valid, invalid, cast and each choice's total (all a document shows of it).
 * </ul>
 * Choice totals of the region and its TPS are their own votes plus their candidates', and a TPS's progress and dpt
 * follow from its status and the tree: {@link #freeze} checks both rather than trusting them silently (a TPS without
 * a sheet has nothing counted: its numbers are not read).
 */
final class FrozenView {
    private static final int HAS_TPS = 1, HAS_NUMBERS = 4;
    private static final long[] NONE = new long[0];

    private FrozenView() {}

    /** The view of a region in a contest the tally has there; the caller holds the tally's monitor. */
    static byte[] freeze(Tally tally, RegionTree tree, Contest c, int node) {
        String id = c.id();
        List<Integer> kids = tally.children(id, node);
        boolean anyTps = false;
        for (int k : kids) anyTps |= tree.isTps(k);
        Out out = new Out(32 + kids.size() * (anyTps ? 12 : 24));
        out.put(anyTps ? HAS_TPS : 0);
        out.put(tally.changedAt(id, node));
        Totals t = tally.totals(id, node);
        out.put(t.tpsCounted()).put(t.tpsHeld()).put(t.tpsTotal()).put(t.dpt());
        ownAndCandidates(out, c, t);
        out.put(kids.size());
        int position = 0;
        for (int kid : kids) {
            int k = position;
            while (tree.child(node, k) != kid) k++;
            out.put(k - position);
            position = k + 1;
            if (tree.isTps(kid)) {
                SheetStatus s = tally.status(id, kid);
                if (s == SheetStatus.NONE) { // no sheet: nothing counted, nothing held (most TPS of a fresh contest)
                    out.put(s.ordinal()).put(0);
                    continue;
                }
                Totals kt = tally.totals(id, kid);
                if (kt.tpsCounted() != (s == SheetStatus.COUNTED ? 1 : 0) || kt.tpsHeld() != (s == SheetStatus.HELD ? 1 : 0)
                        || kt.tpsTotal() != 1 || kt.dpt() != tree.dpt(kid))
                    throw new IllegalStateException("TPS " + tree.code(kid) + " progress does not follow from its status");
                boolean numbers = !zero(kt);
                out.put(s.ordinal() | (numbers ? HAS_NUMBERS : 0)).put(tally.currentSeq(id, kid) + 1);
                if (numbers) ownAndCandidates(out, c, kt);
            } else {
                Totals kt = tally.totals(id, kid);
                out.put(kt.tpsCounted()).put(kt.tpsHeld()).put(kt.tpsTotal()).put(kt.dpt());
                out.put(kt.voted()).put(kt.valid()).put(kt.invalid()).put(kt.cast());
                for (long v : kt.choiceTotals()) out.put(v);
            }
        }
        return out.bytes();
    }

    private static void ownAndCandidates(Out out, Contest c, Totals t) {
        out.put(t.voted()).put(t.valid()).put(t.invalid()).put(t.cast());
        for (long v : t.choiceVotes()) out.put(v);
        for (long v : t.candidateVotes()) out.put(v);
        if (!Arrays.equals(choiceTotals(c, t.choiceVotes(), t.candidateVotes()), t.choiceTotals()))
            throw new IllegalStateException("choice totals of node " + t.node() + " in " + c.id() + " are not own + candidates");
    }

    private static boolean zero(Totals t) {
        if (t.voted() != 0 || t.valid() != 0 || t.invalid() != 0 || t.cast() != 0) return false;
        for (long v : t.choiceVotes()) if (v != 0) return false;
        for (long v : t.candidateVotes()) if (v != 0) return false;
        return true;
    }

    /** Whether the region has TPS among its children (so TPS rows and positions), without decoding the rest. */
    static boolean hasTps(byte[] view) {
        return (view[0] & HAS_TPS) != 0;
    }

    /**
     * The view as the document writer takes it. Children that are regions carry only what a document shows of them:
     * progress, dpt, the sums and each choice's total (their own and candidate votes are empty arrays).
     */
    static DocumentWriter.RegionView thaw(RegionTree tree, Contest c, int node, byte[] view) {
        In in = new In(view);
        boolean anyTps = (in.next() & HAS_TPS) != 0;
        long changedAt = in.next();
        Totals totals = withCandidates(in, c, node, in.next(), in.next(), in.next(), in.next());
        int n = (int) in.next();
        List<Totals> children = new ArrayList<>(n);
        List<SheetStatus> status = anyTps ? new ArrayList<>(n) : null;
        long[] seqs = anyTps ? new long[n] : null;
        SheetStatus[] statuses = SheetStatus.values();
        int position = 0;
        for (int i = 0; i < n; i++) {
            int kid = tree.child(node, position += (int) in.next());
            position++;
            if (tree.isTps(kid)) {
                int head = (int) in.next();
                SheetStatus s = statuses[head & 3];
                seqs[i] = in.next() - 1;
                status.add(s);
                long counted = s == SheetStatus.COUNTED ? 1 : 0, held = s == SheetStatus.HELD ? 1 : 0;
                children.add((head & HAS_NUMBERS) != 0 ? withCandidates(in, c, kid, counted, held, 1, tree.dpt(kid))
                        : new Totals(kid, counted, held, 1, tree.dpt(kid), 0, 0, 0, 0, new long[c.choices().size()],
                                new long[c.choices().size()], new long[c.candidateCount()]));
            } else {
                if (anyTps) {
                    status.add(SheetStatus.NONE);
                    seqs[i] = -1;
                }
                long counted = in.next(), held = in.next(), total = in.next(), dpt = in.next();
                long voted = in.next(), valid = in.next(), invalid = in.next(), cast = in.next();
                long[] choiceTotals = new long[c.choices().size()];
                for (int k = 0; k < choiceTotals.length; k++) choiceTotals[k] = in.next();
                children.add(new Totals(kid, counted, held, total, dpt, voted, valid, invalid, cast, NONE, choiceTotals, NONE));
            }
        }
        return new DocumentWriter.RegionView(c, totals, children, status, seqs, changedAt);
    }

    /** The log position of the sheet of the region's TPS child {@code tps}, or -1. */
    static long seqOf(RegionTree tree, Contest c, int node, byte[] view, int tps) {
        DocumentWriter.RegionView v = thaw(tree, c, node, view);
        for (int i = 0; i < v.children().size(); i++)
            if (v.children().get(i).node() == tps) return v.childSeq() == null ? -1 : v.childSeq()[i];
        return -1;
    }

    private static Totals withCandidates(In in, Contest c, int node, long counted, long held, long total, long dpt) {
        long voted = in.next(), valid = in.next(), invalid = in.next(), cast = in.next();
        long[] own = new long[c.choices().size()];
        long[] cand = new long[c.candidateCount()];
        for (int k = 0; k < own.length; k++) own[k] = in.next();
        for (int k = 0; k < cand.length; k++) cand[k] = in.next();
        return new Totals(node, counted, held, total, dpt, voted, valid, invalid, cast, own, choiceTotals(c, own, cand), cand);
    }

    /** Each choice's own votes plus its candidates', candidates in ballot order. */
    private static long[] choiceTotals(Contest c, long[] own, long[] cand) {
        long[] totals = own.clone();
        int k = 0;
        for (int i = 0; i < totals.length; i++)
            for (int n = 0; n < c.choices().get(i).candidates().size(); n++) totals[i] += cand[k++];
        return totals;
    }

    /** Appends unsigned LEB128 varints (a negative number takes ten bytes and still round-trips). */
    private static final class Out {
        private byte[] buf;
        private int size;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        Out put(long v) {
            if (size + 10 > buf.length) buf = Arrays.copyOf(buf, buf.length * 2 + 10);
            while ((v & ~0x7FL) != 0) {
                buf[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
            return this;
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, size);
        }
    }

    private static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf) {
            this.buf = buf;
        }

        long next() {
            long v = 0;
            for (int shift = 0;; shift += 7) {
                byte b = buf[pos++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) return v;
            }
        }
    }
}
