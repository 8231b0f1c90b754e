package org.rekap.publish;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.rekap.codec.Json;
import org.rekap.region.RegionTree;

/**
 * Finds regions by name or code. Names are matched as lower-case substrings (a word may start anywhere: "bakongan",
 * "aceh sel"); a query that looks like a code finds that region or TPS exactly. A linear scan over 91,560 names takes a
 * few milliseconds, so callers run it off the event loop and cache answers.
 */
public final class SearchIndex {
    public static final int MAX_RESULTS = 20;
    public static final int MIN_QUERY = 2;
    private final RegionTree tree;
    private final String[] names;

    public SearchIndex(RegionTree tree) {
        this.tree = tree;
        names = new String[tree.regionCount()];
        for (int i = 0; i < names.length; i++) names[i] = normalize(tree.name(i));
    }

    /** Lower case, single spaces, trimmed: what queries and names are compared as. */
    public static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }

    /** Matching region nodes, best first: exact name, then name prefix, then higher in the tree, then by code. */
    public List<Integer> find(String query) {
        String q = normalize(query);
        List<Integer> out = new ArrayList<>();
        if (q.length() < MIN_QUERY) return out;
        int code = tree.index(query.strip());
        if (code >= 0) {
            out.add(code);
            return out;
        }
        for (int i = 1; i < names.length; i++) if (names[i].contains(q)) out.add(i);
        out.sort(Comparator.<Integer>comparingInt(i -> names[i].equals(q) ? 0 : names[i].startsWith(q) ? 1 : 2)
                .thenComparingInt(tree::depth).thenComparing(tree::code));
        return out.size() > MAX_RESULTS ? new ArrayList<>(out.subList(0, MAX_RESULTS)) : out;
    }

    /** The search answer document: {@code {"query","results":[{"code","name","level","path"}]}}. */
    public byte[] answer(String query) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("query", query);
        ArrayNode results = o.putArray("results");
        for (int node : find(query)) {
            ObjectNode r = results.addObject().put("code", tree.code(node)).put("name", tree.name(node)).put("level", tree.level(node));
            StringBuilder path = new StringBuilder();
            for (int p : tree.path(node)) {
                if (p == RegionTree.ROOT) continue;
                if (!path.isEmpty()) path.append(" › ");
                path.append(tree.name(p));
            }
            r.put("path", path.toString());
        }
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Every region for searching without a server (a static copy of the site): {@code {"regions":[[code, name, level,
     * parent index, TPS numbers], ...]}} in tree order, the root first (its parent -1). TPS are not listed one by one
     * (there are ten times as many): a village's TPS numbers in range form ({@code 1-16 901-902}), empty for regions
     * without TPS, let the page find a TPS by its code.
     */
    public byte[] staticIndex() {
        StringBuilder sb = new StringBuilder(tree.regionCount() * 64).append("{\"regions\":[");
        for (int i = 0; i < tree.regionCount(); i++) {
            if (i > 0) sb.append(",\n");
            int[] numbers = new int[tree.tpsTotal(i) == 0 ? 0 : tpsChildren(i)];
            for (int k = 0, n = 0; k < tree.childCount(i); k++)
                if (tree.isTps(tree.child(i, k))) numbers[n++] = org.rekap.region.TpsNumbers.numberOf(tree.code(tree.child(i, k)));
            java.util.Arrays.sort(numbers);
            sb.append('[').append(quote(tree.code(i))).append(',').append(quote(tree.name(i)))
                    .append(',').append(quote(tree.level(i))).append(',').append(i == RegionTree.ROOT ? -1 : tree.parent(i))
                    .append(",\"").append(numbers.length == 0 ? "" : org.rekap.region.TpsNumbers.format(numbers)).append("\"]");
        }
        return sb.append("]}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        return new com.fasterxml.jackson.databind.node.TextNode(s).toString();
    }

    private int tpsChildren(int node) {
        int n = 0;
        for (int k = 0; k < tree.childCount(node); k++) if (tree.isTps(tree.child(node, k))) n++;
        return n;
    }
}
