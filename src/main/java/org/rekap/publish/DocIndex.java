package org.rekap.publish;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.rekap.contest.Contest;
import org.rekap.region.RegionTree;
import org.rekap.tally.Tally;

/**
 * Numbers the region documents (every region x published contest the tally has there) densely, in tree order and then
 * contest order, so that a snapshot keeps them in arrays rather than in maps keyed by path. Fixed for an election.
 */
final class DocIndex {
    private final RegionTree tree;
    private final List<Contest> contests;
    private final Map<String, Integer> ordinal = new HashMap<>();
    /** The documents of region {@code r} are ids {@code start[r]} to {@code start[r + 1]}. */
    private final int[] start;
    /** Id to contest ordinal. */
    private final int[] contestOf;

    DocIndex(Tally tally) {
        tree = tally.election().tree();
        contests = List.copyOf(tally.election().published());
        for (int i = 0; i < contests.size(); i++) ordinal.put(contests.get(i).id(), i);
        int regions = tree.regionCount();
        int[][] at = new int[regions][];
        IntPredicate[] has = contests.stream().map(c -> tally.presence(c.id())).toArray(IntPredicate[]::new);
        IntStream.range(0, regions).parallel().forEach(node -> {
            int[] here = new int[has.length];
            int n = 0;
            for (int i = 0; i < here.length; i++) if (has[i].test(node)) here[n++] = i;
            at[node] = Arrays.copyOf(here, n);
        });
        start = new int[regions + 1];
        for (int r = 0; r < regions; r++) start[r + 1] = start[r] + at[r].length;
        contestOf = new int[start[regions]];
        for (int r = 0; r < regions; r++) System.arraycopy(at[r], 0, contestOf, start[r], at[r].length);
    }

    RegionTree tree() {
        return tree;
    }

    /** How many region documents there are. */
    int size() {
        return contestOf.length;
    }

    /** The id of a region's document for a contest, or -1 when there is none (unknown contest, TPS, outside). */
    int id(int node, String contestId) {
        Integer c = ordinal.get(contestId);
        if (c == null || node < 0 || node >= tree.regionCount()) return -1;
        for (int id = start[node]; id < start[node + 1]; id++) if (contestOf[id] == c) return id;
        return -1;
    }

    int id(int node, Contest c) {
        return id(node, c.id());
    }

    /** First id of a region's documents; they run to {@code first(node + 1)}. */
    int first(int node) {
        return start[node];
    }

    Contest contest(int id) {
        return contests.get(contestOf[id]);
    }

    int node(int id) {
        int r = Arrays.binarySearch(start, id);
        if (r < 0) return -r - 2;
        while (start[r + 1] == id) r++; // regions without documents share their start with the next one
        return r;
    }

    /** Ids of the published contests a region has results for, in the election's order: the page's contest menu. */
    List<String> contestIds(int node) {
        List<String> ids = new ArrayList<>(start[node + 1] - start[node]);
        for (int id = start[node]; id < start[node + 1]; id++) ids.add(contests.get(contestOf[id]).id());
        return ids;
    }
}
