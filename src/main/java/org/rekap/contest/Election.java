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
        refuseOverlappingDapils(contests);
        this.rollups = buildRollups(contests);
        for (Contest r : rollups) {
            int[] nodes = new int[r.district().size()];
            for (int k = 0; k < nodes.length; k++) nodes[k] = tree.index(r.district().get(k));
            districtNodes.put(r.id(), nodes);
        }
    }

    private final List<Contest> rollups;

    /** A voter casts one ballot of each party-list kind: two dapils of one kind may not share a region. */
    private void refuseOverlappingDapils(List<Contest> contests) {
        for (int a = 0; a < contests.size(); a++) {
            Contest ca = contests.get(a);
            if (!ca.kind().partyList()) continue;
            for (int b = a + 1; b < contests.size(); b++) {
                Contest cb = contests.get(b);
                if (cb.kind() != ca.kind()) continue;
                for (int na : districtNodes.get(ca.id()))
                    for (int nb : districtNodes.get(cb.id()))
                        if (tree.within(na, nb) || tree.within(nb, na))
                            throw new IllegalArgumentException("contests " + ca.id() + " and " + cb.id() + " are both "
                                    + ca.kind().id() + " and overlap at region " + tree.code(tree.within(na, nb) ? na : nb));
            }
        }
    }

    /**
     * One roll-up per party-list kind with several contests (DPR has one per dapil): a contest over the whole tree
     * whose choices are the parties of all those contests by ballot number, so that a party's total can be read at
     * any region (a province spans several dapils). Its id is the kind's id ({@code dpr}), reserved for it.
     */
    private static List<Contest> buildRollups(List<Contest> contests) {
        List<Contest> out = new ArrayList<>();
        for (ContestKind kind : ContestKind.values()) {
            if (!kind.partyList()) continue;
            java.util.TreeMap<Integer, String> parties = new java.util.TreeMap<>();
            List<String> district = new ArrayList<>();
            int count = 0;
            for (Contest c : contests) {
                if (c.kind() != kind) continue;
                if (c.id().equals(kind.id()))
                    throw new IllegalArgumentException("contest id " + c.id() + " is reserved for the roll-up of all " + kind.id() + " contests");
                count++;
                district.addAll(c.district());
                for (Choice ch : c.choices()) parties.putIfAbsent(ch.number(), ch.name());
            }
            if (count < 2) continue;
            List<Choice> choices = new ArrayList<>();
            parties.forEach((n, name) -> choices.add(new Choice(n, name, List.of())));
            // Its district is the union of the dapils: a TPS outside every dapil is not waited for.
            out.add(new Contest(kind.id(), kind, kind.name() + " (semua dapil)", district, choices));
        }
        return List.copyOf(out);
    }

    /** Every contest with published results: the contests, then the roll-ups. */
    public List<Contest> published() {
        List<Contest> all = new ArrayList<>(contests);
        all.addAll(rollups);
        return all;
    }

    /** A contest or roll-up by id, or null. */
    public Contest publishedContest(String id) {
        Contest c = byId.get(id);
        if (c != null) return c;
        for (Contest r : rollups) if (r.id().equals(id)) return r;
        return null;
    }

    /** The roll-up contests (see {@link #buildRollups}); they take no sheets of their own. */
    public List<Contest> rollups() {
        return rollups;
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
