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
}
