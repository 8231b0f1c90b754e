package org.rekap.region;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rekap.packed.RowIndex;

/**
 * The whole region tree, immutable, in parallel arrays indexed by a dense node index.
 *
 * <p>Index 0 is the root (the whole election area). Non-TPS regions come next in depth-first
 * pre-order, then all TPS in the pre-order of their parents. So the regions of any subtree form one
 * contiguous index range, and so do its TPS: tallies are flat arrays and subtree sums are ranges.
 */
public final class RegionTree {
    public static final String TPS_LEVEL = "tps";
    public static final String ROOT_CODE = "0";
    public static final String ROOT_LEVEL = "nasional";
    public static final int ROOT = 0;

    private final String[] code;
    private final String[] name;
    private final String[] level;
    private final int[] parent;
    private final int[] dpt;
    private final int[] childStart; // children of i are childIndex[childStart[i] .. childStart[i+1])
    private final int[] childIndex;
    private final int[] regionEnd;  // non-TPS regions of the subtree of i: [i, regionEnd[i])
    private final int[] tpsStart;   // TPS of the subtree of i: [tpsStart[i], tpsEnd[i])
    private final int[] tpsEnd;
    private final long[] dptTotal;
    private final int regionCount;
    /** Node indices by code: a {@code HashMap} of 912,000 boxed integers took 42 MiB at national scale, this 8. */
    private final RowIndex byCode;

    private RegionTree(List<Region> ordered, int regionCount, String[] code, RowIndex byCode, int[] parent) {
        int n = ordered.size();
        this.regionCount = regionCount;
        this.code = code;
        this.byCode = byCode;
        this.parent = parent;
        name = new String[n];
        level = new String[n];
        dpt = new int[n];
        for (int i = 0; i < n; i++) {
            Region r = ordered.get(i);
            name[i] = r.name();
            level[i] = r.level().intern();
            dpt[i] = r.dpt();
        }
        int[] childCount = new int[n + 1];
        for (int i = 1; i < n; i++) childCount[parent[i]]++;
        childStart = new int[n + 1];
        for (int i = 0; i < n; i++) childStart[i + 1] = childStart[i] + childCount[i];
        childIndex = new int[Math.max(0, n - 1)];
        int[] fill = Arrays.copyOf(childStart, n);
        for (int i = 1; i < n; i++) childIndex[fill[parent[i]]++] = i;

        regionEnd = new int[n];
        tpsStart = new int[n];
        tpsEnd = new int[n];
        dptTotal = new long[n];
        for (int i = n - 1; i >= 0; i--) {
            if (i >= regionCount) { // a TPS
                regionEnd[i] = i;
                tpsStart[i] = i;
                tpsEnd[i] = i + 1;
                dptTotal[i] = dpt[i];
            }
        }
        // Children have higher indices than parents in both halves, so one backwards pass settles every range.
        for (int i = regionCount - 1; i >= 0; i--) {
            int end = i + 1, ts = Integer.MAX_VALUE, te = Integer.MIN_VALUE;
            long sum = 0;
            for (int c = childStart[i]; c < childStart[i + 1]; c++) {
                int child = childIndex[c];
                if (child < regionCount) end = Math.max(end, regionEnd[child]);
                if (tpsEnd[child] > tpsStart[child]) { // a child without TPS must not widen the range
                    ts = Math.min(ts, tpsStart[child]);
                    te = Math.max(te, tpsEnd[child]);
                }
                sum += dptTotal[child];
            }
            regionEnd[i] = end;
            tpsStart[i] = ts == Integer.MAX_VALUE ? 0 : ts;
            tpsEnd[i] = te == Integer.MIN_VALUE ? 0 : te;
            dptTotal[i] = sum;
        }
    }

    /**
     * Builds the tree from rows in any order whose parents all appear (a region with an empty parent code hangs
     * from the root). TPS must be leaves.
     *
     * @throws IllegalArgumentException naming the first row that does not fit
     */
    public static RegionTree of(String rootName, List<Region> rows) {
        Map<String, Region> byCode = new HashMap<>(rows.size() * 2);
        Map<String, List<Region>> children = new HashMap<>();
        for (Region r : rows) {
            if (byCode.putIfAbsent(r.code(), r) != null)
                throw new IllegalArgumentException("region code " + r.code() + " appears twice");
            children.computeIfAbsent(r.parentCode() == null ? "" : r.parentCode(), k -> new ArrayList<>()).add(r);
        }
        for (Region r : rows) {
            String p = r.parentCode() == null ? "" : r.parentCode();
            if (!p.isEmpty()) {
                Region parent = byCode.get(p);
                if (parent == null) throw new IllegalArgumentException("region " + r.code() + " has unknown parent " + p);
                if (parent.isTps()) throw new IllegalArgumentException("region " + r.code() + " hangs under TPS " + p);
            } else if (r.isTps()) {
                throw new IllegalArgumentException("TPS " + r.code() + " has no parent region");
            }
        }
        List<Region> ordered = new ArrayList<>(rows.size() + 1);
        List<Region> tps = new ArrayList<>();
        List<String> tpsParent = new ArrayList<>();
        ordered.add(new Region(ROOT_CODE, "", ROOT_LEVEL, rootName, 0));
        // Iterative DFS so that deep trees cannot overflow the stack.
        List<String> parentOf = new ArrayList<>();
        parentOf.add(null);
        ArrayList<Region> stack = new ArrayList<>();
        pushChildren(stack, children.get(""));
        List<Region> rootKids = children.getOrDefault("", List.of());
        if (rootKids.stream().anyMatch(r -> r.code().equals(ROOT_CODE)))
            throw new IllegalArgumentException("region code " + ROOT_CODE + " is reserved for the root");
        while (!stack.isEmpty()) {
            Region r = stack.remove(stack.size() - 1);
            if (r.isTps()) {
                tps.add(r);
                continue;
            }
            ordered.add(r);
            pushChildren(stack, children.get(r.code()));
        }
        int regionCount = ordered.size();
        // TPS in the pre-order of their parents: stable sort by parent position keeps each village's own order.
        Map<String, Integer> position = new HashMap<>(regionCount * 2);
        for (int i = 0; i < regionCount; i++) position.put(ordered.get(i).code(), i);
        position.put("", 0);
        // A counting sort by parent position, stable, each parent looked up once per TPS (not per comparison).
        int[] parentPos = new int[tps.size()];
        int[] bucket = new int[regionCount + 1];
        for (int k = 0; k < parentPos.length; k++) {
            parentPos[k] = position.get(tps.get(k).parentCode());
            bucket[parentPos[k] + 1]++;
        }
        for (int i = 0; i < regionCount; i++) bucket[i + 1] += bucket[i];
        Region[] sortedTps = new Region[tps.size()];
        for (int k = 0; k < parentPos.length; k++) sortedTps[bucket[parentPos[k]]++] = tps.get(k);
        ordered.addAll(java.util.Arrays.asList(sortedTps));
        if (ordered.size() != rows.size() + 1) {
            java.util.Set<String> reached = new java.util.HashSet<>(ordered.size() * 2);
            for (Region r : ordered) reached.add(r.code());
            String stuck = rows.stream().map(Region::code).filter(c -> !reached.contains(c)).sorted().findFirst().orElse("?");
            throw new IllegalArgumentException("the region rows contain a cycle: region " + stuck + " and "
                    + (rows.size() - ordered.size()) + " other rows are not reachable from the root");
        }
        String[] codes = new String[ordered.size()];
        for (int i = 0; i < codes.length; i++) codes[i] = ordered.get(i).code();
        RowIndex index = new RowIndex(r -> codes[r].hashCode());
        index.reserve(codes.length);
        for (int i = 0; i < codes.length; i++) index.add(codes[i].hashCode(), i); // codes are unique: checked above
        int[] parent = new int[ordered.size()];
        parent[0] = -1;
        for (int i = 1; i < ordered.size(); i++) {
            String p = ordered.get(i).parentCode();
            parent[i] = p == null || p.isEmpty() ? ROOT : find(codes, index, p);
        }
        return new RegionTree(ordered, regionCount, codes, index, parent);
    }

    private static void pushChildren(ArrayList<Region> stack, List<Region> kids) {
        if (kids == null) return;
        List<Region> sorted = new ArrayList<>(kids);
        sorted.sort((a, b) -> compareCodes(a.code(), b.code()));
        for (int i = sorted.size() - 1; i >= 0; i--) stack.add(sorted.get(i));
    }

    /** Orders dotted codes part by part, numerically where both parts are numbers (so 9 < 10). Allocates nothing. */
    static int compareCodes(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ie = a.indexOf('.', i), je = b.indexOf('.', j);
            if (ie < 0) ie = a.length();
            if (je < 0) je = b.length();
            int c = compareParts(a, i, ie, b, j, je);
            if (c != 0) return c;
            i = ie + 1;
            j = je + 1;
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static int compareParts(String a, int i, int ie, String b, int j, int je) {
        if (digits(a, i, ie) && digits(b, j, je)) {
            while (i < ie - 1 && a.charAt(i) == '0') i++; // leading zeros do not change a number
            while (j < je - 1 && b.charAt(j) == '0') j++;
            if (ie - i != je - j) return Integer.compare(ie - i, je - j);
        }
        int n = Math.min(ie - i, je - j);
        for (int k = 0; k < n; k++) {
            int c = Character.compare(a.charAt(i + k), b.charAt(j + k));
            if (c != 0) return c;
        }
        return Integer.compare(ie - i, je - j);
    }

    private static boolean digits(String s, int from, int to) {
        if (from >= to) return false;
        for (int k = from; k < to; k++) if (s.charAt(k) < '0' || s.charAt(k) > '9') return false;
        return true;
    }

    public int size() { return code.length; }
    /** Non-TPS regions including the root. */
    public int regionCount() { return regionCount; }
    public int tpsCount() { return code.length - regionCount; }
    public boolean isTps(int i) { return i >= regionCount; }

    /** The node index of a code, or -1. */
    public int index(String code) {
        return find(this.code, byCode, code);
    }

    private static int find(String[] codes, RowIndex index, String code) {
        return index.find(code.hashCode(), r -> codes[r].equals(code));
    }

    public String code(int i) { return code[i]; }
    public String name(int i) { return name[i]; }
    public String level(int i) { return level[i]; }
    public int parent(int i) { return parent[i]; }
    /** Registered voters of a TPS (0 when unknown); for a region, see {@link #dptTotal}. */
    public int dpt(int i) { return dpt[i]; }
    public long dptTotal(int i) { return dptTotal[i]; }

    public int childCount(int i) { return childStart[i + 1] - childStart[i]; }
    public int child(int i, int k) { return childIndex[childStart[i] + k]; }

    /** Non-TPS regions of i's subtree, i included, are exactly the indices [i, regionEnd(i)). */
    public int regionEnd(int i) { return regionEnd[i]; }
    /** TPS of i's subtree are exactly the indices [tpsStart(i), tpsEnd(i)). */
    public int tpsStart(int i) { return tpsStart[i]; }
    public int tpsEnd(int i) { return tpsEnd[i]; }
    public int tpsTotal(int i) { return tpsEnd[i] - tpsStart[i]; }

    public int depth(int i) {
        int d = 0;
        for (int p = parent[i]; p >= 0; p = parent[p]) d++;
        return d;
    }

    /** Whether {@code node} lies in the subtree of {@code ancestor} (a node is in its own subtree). */
    public boolean within(int node, int ancestor) {
        if (node == ancestor) return true;
        if (ancestor >= regionCount) return false;
        return node < regionCount
                ? node >= ancestor && node < regionEnd[ancestor]
                : node >= tpsStart[ancestor] && node < tpsEnd[ancestor];
    }

    /** Ancestors from the root down to i's parent. */
    public int[] path(int i) {
        int[] out = new int[depth(i)];
        int k = out.length;
        for (int p = parent[i]; p >= 0; p = parent[p]) out[--k] = p;
        return out;
    }

    /** The row for node i, as it would be written to a region file. */
    public Region region(int i) {
        return new Region(code[i], i == ROOT ? "" : parent[i] == ROOT ? "" : code[parent[i]], level[i], name[i], dpt[i]);
    }

    /**
     * Counts of non-TPS regions per level, in order of first appearance in pre-order. Computed once: the election
     * document, rebuilt at every snapshot, shows them, and a national tree has 912,000 nodes.
     */
    public Map<String, Integer> levelCounts() {
        Map<String, Integer> counts = levelCounts;
        if (counts == null) {
            Map<String, Integer> c = new java.util.LinkedHashMap<>();
            for (int i = 1; i < size(); i++) c.merge(level[i], 1, Integer::sum);
            levelCounts = counts = java.util.Collections.unmodifiableMap(c);
        }
        return counts;
    }

    private volatile Map<String, Integer> levelCounts;
}
