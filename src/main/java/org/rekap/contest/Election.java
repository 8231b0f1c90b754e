package org.rekap.contest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rekap.region.RegionTree;

/** The set-up of an election: its region tree and contests, with the district of every contest resolved. */
public final class Election {
    private final RegionTree tree;
    private final List<Contest> contests;
    private final Map<String, Contest> byId = new LinkedHashMap<>();
    private final Map<String, int[]> districtNodes = new LinkedHashMap<>();
    /** For each non-TPS region index, the contests whose district roots lie at or above it. */
    private final List<List<Contest>> coveringRegion;

    /** @throws IllegalArgumentException naming the contest, field and problem */
    public Election(RegionTree tree, List<Contest> contests) {
        this.tree = tree;
        this.contests = List.copyOf(contests);
        List<List<Contest>> covering = new ArrayList<>(tree.regionCount());
        for (int i = 0; i < tree.regionCount(); i++) covering.add(null);
        for (Contest c : contests) {
            if (byId.putIfAbsent(c.id(), c) != null) throw new IllegalArgumentException("contest id " + c.id() + " appears twice");
            if (c.choices().isEmpty()) throw new IllegalArgumentException("contest " + c.id() + ": choices: must not be empty");
            if (c.district().isEmpty()) throw new IllegalArgumentException("contest " + c.id() + ": district: must not be empty");
            java.util.Set<Integer> numbers = new java.util.HashSet<>();
            for (Choice ch : c.choices()) {
                if (!numbers.add(ch.number()))
                    throw new IllegalArgumentException("contest " + c.id() + ": choice number " + ch.number() + " appears twice");
                if (!c.kind().partyList() && !ch.candidates().isEmpty())
                    throw new IllegalArgumentException("contest " + c.id() + ": choice " + ch.number()
                            + ": a " + c.kind().id() + " choice has no candidate list");
            }
            int[] nodes = new int[c.district().size()];
            for (int k = 0; k < nodes.length; k++) {
                String code = c.district().get(k);
                int i = tree.index(code);
                if (i < 0) throw new IllegalArgumentException("contest " + c.id() + ": district region " + code + " is not in the region tree");
                if (tree.isTps(i)) throw new IllegalArgumentException("contest " + c.id() + ": district region " + code + " is a TPS");
                for (int j = 0; j < k; j++)
                    if (tree.within(i, nodes[j]) || tree.within(nodes[j], i))
                        throw new IllegalArgumentException("contest " + c.id() + ": district regions " + code + " and "
                                + tree.code(nodes[j]) + " overlap");
                nodes[k] = i;
                if (covering.get(i) == null) covering.set(i, new ArrayList<>(2));
                covering.get(i).add(c);
            }
            districtNodes.put(c.id(), nodes);
        }
        this.coveringRegion = covering;
    }

    public RegionTree tree() { return tree; }
    public List<Contest> contests() { return contests; }
    public Contest contest(String id) { return byId.get(id); }

    /** The roots of a contest's district, as node indices. */
    public int[] districtRoots(String contestId) { return districtNodes.get(contestId).clone(); }

    /** Whether node lies in the contest's district. */
    public boolean covers(Contest contest, int node) {
        for (int root : districtNodes.get(contest.id())) if (tree.within(node, root)) return true;
        return false;
    }

    /** The contests a TPS (or region) votes in: those whose district contains it, in set-up order. */
    public List<Contest> contestsAt(int node) {
        List<Contest> out = new ArrayList<>(4);
        for (int p = tree.isTps(node) ? tree.parent(node) : node; p >= 0; p = tree.parent(p)) {
            List<Contest> here = coveringRegion.get(p);
            if (here != null) out.addAll(here);
        }
        if (out.size() > 1) out.sort((a, b) -> Integer.compare(contests.indexOf(a), contests.indexOf(b)));
        return Collections.unmodifiableList(out);
    }
}
