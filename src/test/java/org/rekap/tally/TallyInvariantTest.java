package org.rekap.tally;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.rekap.contest.Candidate;
import org.rekap.contest.Choice;
import org.rekap.contest.Contest;
import org.rekap.contest.ContestKind;
import org.rekap.contest.Election;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.region.Region;
import org.rekap.region.RegionTree;
import org.rekap.sheet.Ballots;
import org.rekap.sheet.ChoiceVotes;
import org.rekap.sheet.ConsistencyRules;
import org.rekap.sheet.SexCount;
import org.rekap.sheet.TallySheet;
import org.rekap.sheet.VoterLists;

/**
 * The tally's invariant: every region's totals equal the sum of its children's, the root (and every region) equals a
 * sum of the counted sheets computed here without the tally, progress counts the district's TPS, and the DPR roll-up
 * equals the sum of the dapils' party totals at every region.
 *
 * <p>Totals are compared as one vector per region and contest (see {@link #vector(Totals)}):
 * {@code tpsCounted, tpsHeld, tpsTotal, dpt, voted, valid, invalid, cast, choiceVotes..., choiceTotals...,
 * candidateVotes...}.
 */
class TallyInvariantTest {
    private static final String ROOT = RegionTree.ROOT_CODE;
    private static final int SCALARS = 8;
    private static final String[] SCALAR_NAMES = {"tpsCounted", "tpsHeld", "tpsTotal", "dpt", "voted", "valid", "invalid", "cast"};

    // ---------------------------------------------------------------------------------------------------------------
    // 1. Random trees
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void onRandomTreesEveryRegionIsTheSumOfItsChildrenAndOfItsCountedSheets() {
        Failures f = new Failures();
        int[] transitions = new int[4]; // [from counted?1:0][to counted?1:0] as 2*from+to
        int trees = 100, deepest = 0, mixed = 0, emptyRegions = 0, rollups = 0;
        long sheets = 0;
        Set<Integer> depths = new TreeSet<>();
        for (int k = 0; k < trees; k++) {
            long seed = 0x5EED_0000L + k;
            RandomElection re = new RandomElection(new SplittableRandom(seed));
            Election election = new Election(re.tree, re.contests);
            Tally tally = new Tally(election);
            sheets += re.apply(tally, transitions);
            String where = "tree " + k + " (seed " + seed + ", depth " + re.depth + ")";
            checkRandom(re, election, tally, where, f);
            depths.add(re.depth);
            deepest = Math.max(deepest, re.depth);
            mixed += re.mixedRegions;
            emptyRegions += re.regionsWithoutTps;
            rollups += election.rollups().size();
        }
        System.out.printf("random trees: %d trees, depths %s, %d sheets applied, %d checks; transitions held->held %d,"
                + " held->counted %d, counted->held %d, counted->counted %d%n", trees, depths, sheets, f.checks,
                transitions[0], transitions[1], transitions[2], transitions[3]);
        f.assertNone();
        // The random set-ups exercised what they were meant to.
        assertThat(depths).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(rollups).isEqualTo(trees);
        assertThat(emptyRegions).isPositive();
        assertThat(mixed).isPositive();
        assertThat(transitions[1]).as("held -> counted").isPositive();
        assertThat(transitions[2]).as("counted -> held").isPositive();
        assertThat(transitions[3]).as("counted -> counted").isPositive();
        assertThat(f.checks).isGreaterThan(100_000);
    }

    /** Checks (a) to (d) for every published contest at every node of one random election. */
    private static void checkRandom(RandomElection re, Election election, Tally tally, String where, Failures f) {
        RegionTree tree = election.tree();
        Contest rollup = election.publishedContest("dpr");
        assertThat(rollup).as(where + ": the dpr roll-up").isNotNull();
        assertThat(rollup.choices().stream().map(Choice::number).toList()).as(where + ": roll-up parties")
                .containsExactlyElementsOf(re.partyNumbers());
        for (Contest c : election.published()) {
            Map<String, long[]> expected = c == rollup ? re.expectedRollup(rollup) : re.expected(c);
            String[] labels = labels(c);
            for (int node = 0; node < tree.size(); node++) {
                String code = tree.code(node);
                long[] want = expected.get(code);
                boolean has = tally.has(c.id(), node);
                f.check(has == (want != null), () -> where + ", " + c.id() + ", " + code + ": has() is " + has);
                if (!has || want == null) continue;
                Totals got = tally.totals(c.id(), node);
                int n = node;
                // (b) and (c): every node equals the sum of its counted sheets, and counts the district's TPS.
                f.equal(vector(got), want, labels, () -> where + ", " + c.id() + ", " + code + " (" + tree.level(n) + ") vs sheets");
                if (tree.isTps(node)) continue;
                // (a) the node equals the sum of its children.
                List<Integer> kids = tally.children(c.id(), node);
                Set<String> kidCodes = new HashSet<>();
                long[] sum = new long[want.length];
                for (int kid : kids) {
                    kidCodes.add(tree.code(kid));
                    add(sum, vector(tally.totals(c.id(), kid)));
                }
                f.equal(kidCodes, re.childrenWithin(code, expected.keySet()), () -> where + ", " + c.id() + ", " + code + ": children");
                f.equal(vector(got), sum, labels, () -> where + ", " + c.id() + ", " + code + " vs its children");
            }
        }
        // (d) the roll-up at every node is the sum over the DPR contests there, party by party.
        List<Contest> dprs = election.contests().stream().filter(c -> c.kind() == ContestKind.DPR).toList();
        String[] labels = labels(rollup);
        for (int node = 0; node < tree.size(); node++) {
            long[] sum = new long[SCALARS + 2 * rollup.choices().size()];
            for (Contest c : dprs) if (tally.has(c.id(), node)) add(sum, mapped(tally.totals(c.id(), node), c, rollup));
            String code = tree.code(node);
            f.equal(vector(tally.totals(rollup.id(), node)), sum, labels, () -> where + ", dpr roll-up, " + code + " vs the dapils");
        }
    }

    /**
     * A random election kept as plain rows and maps, so that what the test expects is computed without
     * {@link RegionTree}, {@link Election} or {@link Tally}.
     */
    private static final class RandomElection {
        final SplittableRandom r;
        final int depth;
        final List<Region> rows = new ArrayList<>();
        final Map<String, String> parent = new HashMap<>();
        final Map<String, List<String>> regionKids = new HashMap<>();
        final Map<String, List<String>> tpsKids = new HashMap<>();
        final Map<String, Integer> dpt = new HashMap<>();
        final List<String> regions = new ArrayList<>(); // below the root
        final List<String> tps = new ArrayList<>();
        final List<Contest> contests = new ArrayList<>();
        final RegionTree tree;
        /** The current (last applied) sheet of each contest and TPS, and whether it is counted. */
        final Map<String, Map<String, Applied>> current = new HashMap<>();
        int mixedRegions, regionsWithoutTps;

        record Applied(TallySheet sheet, boolean counted) {}

        RandomElection(SplittableRandom r) {
            this.r = r;
            this.depth = 1 + r.nextInt(6);
            int maxFan = depth <= 2 ? 6 : depth <= 4 ? 4 : 3;
            int top = 1 + r.nextInt(4);
            for (int i = 1; i <= top; i++) region(String.valueOf(i), ROOT, "level", 1, depth, maxFan);
            // A shallower branch, like the overseas one (luar negeri, PPLN, TPS).
            region("99", ROOT, "ln", 1, depth == 1 ? 1 : 1 + r.nextInt(depth - 1), maxFan);
            for (String code : regions) if (tpsUnder(code).isEmpty()) regionsWithoutTps++;
            List<Region> shuffled = new ArrayList<>(rows);
            shuffle(shuffled);
            tree = RegionTree.of("ROOT", shuffled);
            contests();
        }

        private void region(String code, String parentCode, String levelPrefix, int level, int maxDepth, int maxFan) {
            rows.add(new Region(code, parentCode.equals(ROOT) ? "" : parentCode, levelPrefix + level, "R " + code, 0));
            parent.put(code, parentCode);
            regionKids.computeIfAbsent(parentCode, p -> new ArrayList<>()).add(code);
            regions.add(code);
            if (level == maxDepth) {
                addTps(code, r.nextInt(6) == 0 ? 0 : 1 + r.nextInt(5));
                return;
            }
            int fan = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(maxFan);
            for (int k = 1; k <= fan; k++) region(code + "." + k, code, levelPrefix, level + 1, maxDepth, maxFan);
            if (r.nextInt(12) == 0) { // TPS right beside sub-regions: the tree allows it
                addTps(code, 1 + r.nextInt(3));
                mixedRegions++;
            }
        }

        private void addTps(String region, int count) {
            for (int k = 1; k <= count; k++) {
                String code = region + ".T" + k;
                int voters = r.nextInt(8) == 0 ? 0 : 20 + r.nextInt(280);
                rows.add(new Region(code, region, RegionTree.TPS_LEVEL, "TPS " + k, voters));
                parent.put(code, region);
                tpsKids.computeIfAbsent(region, p -> new ArrayList<>()).add(code);
                dpt.put(code, voters);
                tps.add(code);
            }
        }

        private <T> void shuffle(List<T> list) {
            for (int i = list.size() - 1; i > 0; i--) Collections.swap(list, i, r.nextInt(i + 1));
        }

        /** Whether node lies in the subtree of ancestor (itself included), by the rows' parent codes. */
        boolean within(String node, String ancestor) {
            for (String p = node; p != null; p = parent.get(p)) if (p.equals(ancestor)) return true;
            return false;
        }

        List<String> tpsUnder(String region) {
            List<String> out = new ArrayList<>();
            for (String t : tps) if (within(t, region)) out.add(t);
            return out;
        }

        // ---- contests --------------------------------------------------------------------------------------------

        private void contests() {
            contests.add(new Contest("ppwp", ContestKind.PPWP, "PPWP", district(true), singles(2 + r.nextInt(3))));
            int dpd = 1 + r.nextInt(3);
            for (int k = 1; k <= dpd; k++)
                contests.add(new Contest("dpd-" + k, ContestKind.DPD, "DPD " + k, district(false), singles(2 + r.nextInt(5))));
            // DPR: the dapils share out a cut through the tree, so every TPS votes in exactly one of them.
            List<String> cut = new ArrayList<>();
            for (String top : regionKids.get(ROOT)) cut(top, cut);
            shuffle(cut);
            int dapils = 2 + r.nextInt(Math.min(4, cut.size() - 1));
            List<List<String>> districts = new ArrayList<>();
            for (int k = 0; k < dapils; k++) districts.add(new ArrayList<>(List.of(cut.get(k))));
            for (int k = dapils; k < cut.size(); k++) districts.get(r.nextInt(dapils)).add(cut.get(k));
            int parties = 3 + r.nextInt(6);
            for (int k = 0; k < dapils; k++) {
                List<Choice> choices = new ArrayList<>();
                for (int p = 1; p <= parties; p++) {
                    if (r.nextInt(10) < 3) continue; // not every party runs in every dapil
                    List<Candidate> candidates = new ArrayList<>();
                    int n = r.nextInt(5);
                    for (int c = 1; c <= n; c++) candidates.add(new Candidate(c, "Caleg " + p + "." + c));
                    choices.add(new Choice(p, "Partai " + p, candidates));
                }
                if (choices.isEmpty()) choices.add(new Choice(1 + r.nextInt(parties), "Partai", List.of(new Candidate(1, "Caleg"))));
                if (r.nextBoolean()) shuffle(choices); // the ballot order need not follow the numbers
                contests.add(new Contest("dpr-" + (k + 1), ContestKind.DPR, "DPR " + (k + 1), districts.get(k), choices));
            }
        }

        private void cut(String region, List<String> out) {
            List<String> kids = regionKids.getOrDefault(region, List.of());
            if (tpsKids.containsKey(region) || kids.isEmpty() || r.nextInt(3) == 0) out.add(region);
            else for (String kid : kids) cut(kid, out);
        }

        /** One to three regions that do not overlap, or the root. */
        private List<String> district(boolean mayBeRoot) {
            if (mayBeRoot && r.nextInt(3) == 0) return List.of(ROOT);
            List<String> chosen = new ArrayList<>();
            int want = 1 + r.nextInt(3);
            for (int tries = 0; tries < 30 && chosen.size() < want; tries++) {
                String c = regions.get(r.nextInt(regions.size()));
                if (chosen.stream().noneMatch(x -> within(c, x) || within(x, c))) chosen.add(c);
            }
            return chosen;
        }

        private List<Choice> singles(int n) {
            List<Choice> out = new ArrayList<>();
            for (int k = 1; k <= n; k++) out.add(new Choice(k, "Calon " + k, List.of()));
            return out;
        }

        List<Integer> partyNumbers() {
            TreeSet<Integer> out = new TreeSet<>();
            for (Contest c : contests) if (c.kind() == ContestKind.DPR) for (Choice ch : c.choices()) out.add(ch.number());
            return new ArrayList<>(out);
        }

        List<String> districtTps(Contest c) {
            List<String> out = new ArrayList<>();
            for (String t : tps) if (c.district().stream().anyMatch(root -> within(t, root))) out.add(t);
            return out;
        }

        // ---- sheets ----------------------------------------------------------------------------------------------

        /** Applies random sheets in random order, some TPS several times; returns how many. */
        long apply(Tally tally, int[] transitions) {
            record Submission(Contest contest, String tps) {}
            List<Submission> all = new ArrayList<>();
            for (Contest c : contests) {
                for (String t : districtTps(c)) {
                    if (r.nextInt(7) == 0) continue; // not yet in
                    int versions = r.nextInt(3) == 0 ? 2 + r.nextInt(3) : 1;
                    for (int v = 0; v < versions; v++) all.add(new Submission(c, t));
                }
            }
            shuffle(all);
            long seq = 0;
            for (Submission s : all) {
                TallySheet sheet = sheet(s.contest(), s.tps());
                boolean counted = r.nextInt(4) != 0;
                tally.set(seq++, sheet, counted);
                Applied before = current.computeIfAbsent(s.contest().id(), id -> new HashMap<>())
                        .put(s.tps(), new Applied(sheet, counted));
                if (before != null) transitions[(before.counted() ? 2 : 0) + (counted ? 1 : 0)]++;
            }
            return all.size();
        }

        /** A sheet with random numbers; the tally does not check rules, so only choice totals are kept consistent. */
        private TallySheet sheet(Contest c, String tpsCode) {
            VoterLists registered = VoterLists.of(sex(150), sex(6), sex(4));
            VoterLists voted = VoterLists.of(sex(150), sex(6), sex(4));
            List<ChoiceVotes> votes = new ArrayList<>();
            int valid = 0;
            for (Choice ch : c.choices()) {
                ChoiceVotes v;
                if (c.kind().partyList()) {
                    List<Integer> cands = new ArrayList<>();
                    for (int k = 0; k < ch.candidates().size(); k++) cands.add(r.nextInt(40));
                    v = ChoiceVotes.party(ch.number(), r.nextInt(30), cands);
                } else {
                    v = ChoiceVotes.single(ch.number(), r.nextInt(120));
                }
                votes.add(v);
                valid += v.total();
            }
            if (r.nextInt(5) == 0) valid += r.nextInt(7) - 3; // the tally adds what is written
            int invalid = r.nextInt(12);
            int cast = valid + invalid + (r.nextInt(5) == 0 ? 1 : 0);
            return new TallySheet(tpsCode, c.id(), registered, voted,
                    new Ballots(cast + r.nextInt(20), cast, r.nextInt(20), r.nextInt(3)), votes, valid, invalid, cast, List.of());
        }

        private SexCount sex(int bound) {
            return SexCount.of(r.nextInt(bound), r.nextInt(bound));
        }

        // ---- what the tally must say -----------------------------------------------------------------------------

        /** Expected vectors of a contest at every node it has: its district's TPS, their regions and all ancestors. */
        Map<String, long[]> expected(Contest c) {
            int width = SCALARS + 2 * c.choices().size() + c.candidateCount();
            Map<String, long[]> out = new HashMap<>();
            for (String root : c.district()) {
                for (String p = root; p != null; p = parent.get(p)) out.putIfAbsent(p, new long[width]);
                for (String region : regions) if (within(region, root)) out.putIfAbsent(region, new long[width]);
            }
            Map<String, Applied> now = current.getOrDefault(c.id(), Map.of());
            for (String t : districtTps(c)) {
                Applied a = now.get(t);
                long[] v = sheetVector(c, a == null ? null : a.sheet(), a != null && a.counted(), a != null && !a.counted(), dpt.get(t));
                out.put(t, v);
                for (String p = parent.get(t); p != null; p = parent.get(p)) add(out.get(p), v);
            }
            return out;
        }

        /** Expected roll-up vectors: every node; each TPS brings its own dapil's sheet, party by party. */
        Map<String, long[]> expectedRollup(Contest rollup) {
            int width = SCALARS + 2 * rollup.choices().size();
            Map<String, long[]> out = new HashMap<>();
            out.put(ROOT, new long[width]);
            for (String region : regions) out.put(region, new long[width]);
            for (String t : tps) {
                Applied a = null;
                for (Contest c : contests)
                    if (c.kind() == ContestKind.DPR && c.district().stream().anyMatch(root -> within(t, root)))
                        a = current.getOrDefault(c.id(), Map.of()).get(t);
                long[] v = rollupVector(rollup, a == null ? null : a.sheet(), a != null && a.counted(), a != null && !a.counted(), dpt.get(t));
                out.put(t, v);
                for (String p = parent.get(t); p != null; p = parent.get(p)) add(out.get(p), v);
            }
            return out;
        }

        /** The region and TPS children of a region that lie in {@code has}. */
        Set<String> childrenWithin(String region, Set<String> has) {
            Set<String> out = new HashSet<>();
            for (String k : regionKids.getOrDefault(region, List.of())) if (has.contains(k)) out.add(k);
            for (String k : tpsKids.getOrDefault(region, List.of())) if (has.contains(k)) out.add(k);
            return out;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. The generated national election
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void onTheGeneratedNationalElectionEveryRegionIsTheSumOfItsChildrenAndTheRootOfTheSheets() {
        long start = System.nanoTime();
        SyntheticElection se = SyntheticElection.of(Scale.NATIONAL, 1);
        Election election = se.election();
        RegionTree tree = se.tree();
        Tally tally = new Tally(election);
        long built = System.nanoTime();

        Contest ppwp = election.contest("ppwp");
        Contest rollup = election.publishedContest("dpr");
        assertThat(rollup).isNotNull();
        // Three provinces: the one with the most dapils, then the first two others in tree order.
        Map<Integer, List<Contest>> dprByProvince = new LinkedHashMap<>();
        Map<Integer, Contest> dpdByProvince = new HashMap<>();
        for (Contest c : election.contests()) {
            int root = election.districtRoots(c.id())[0];
            if (c.kind() == ContestKind.DPR && tree.parent(root) != RegionTree.ROOT)
                dprByProvince.computeIfAbsent(tree.parent(root), p -> new ArrayList<>()).add(c);
            if (c.kind() == ContestKind.DPD) dpdByProvince.put(root, c);
        }
        int biggest = dprByProvince.keySet().stream().max((a, b) -> Integer.compare(dprByProvince.get(a).size(),
                dprByProvince.get(b).size())).orElseThrow();
        List<Integer> provinces = new ArrayList<>(List.of(biggest));
        for (int p : dprByProvince.keySet()) if (provinces.size() < 3 && p != biggest) provinces.add(p);
        List<Contest> applied = new ArrayList<>();
        for (int p : provinces) {
            applied.add(dpdByProvince.get(p));
            applied.addAll(dprByProvince.get(p));
        }
        assertThat(dprByProvince.get(biggest)).hasSizeGreaterThan(1);

        // Apply: sheets are drawn in parallel, applied in order; the expected sums are kept on the side.
        Map<String, long[]> expectedRoot = new LinkedHashMap<>();
        long[] expectedRollup = new long[SCALARS + 2 * rollup.choices().size()];
        long[] seq = {0};
        int[] allTps = IntStream.range(tree.regionCount(), tree.size()).toArray();
        long ppwpHeld = applyAll(tally, se, ppwp, allTps, seq, expectedRoot, null, null);
        long held = ppwpHeld;
        long sheetsApplied = allTps.length;
        for (Contest c : applied) {
            List<Integer> ts = new ArrayList<>();
            for (int root : election.districtRoots(c.id())) for (int t = tree.tpsStart(root); t < tree.tpsEnd(root); t++) ts.add(t);
            int[] tpsOfContest = ts.stream().mapToInt(Integer::intValue).toArray();
            held += applyAll(tally, se, c, tpsOfContest, seq, expectedRoot, c.kind() == ContestKind.DPR ? rollup : null, expectedRollup);
            sheetsApplied += tpsOfContest.length;
        }
        long appliedAt = System.nanoTime();

        // (b) the root of each contest (and of the roll-up) equals the independent sum of its sheets.
        long[] ppwpRoot = vector(tally.totals("ppwp", RegionTree.ROOT));
        assertThat(ppwpRoot).as("ppwp at the root vs the sheets").containsExactly(expectedRoot.get("ppwp"));
        assertThat(ppwpRoot[0] + ppwpRoot[1]).isEqualTo(820_161);
        assertThat(ppwpRoot[1]).as("held = sheets that break a rule").isEqualTo(ppwpHeld).isBetween(4_000L, 13_000L);
        assertThat(ppwpRoot[2]).isEqualTo(820_161);
        for (Contest c : applied)
            assertThat(vector(tally.totals(c.id(), RegionTree.ROOT))).as(c.id() + " at the root vs the sheets")
                    .containsExactly(expectedRoot.get(c.id()));
        expectedRollup[2] = expectedRoot.get("ppwp")[2]; // the roll-up spans every TPS, as PPWP does
        expectedRollup[3] = expectedRoot.get("ppwp")[3];
        assertThat(vector(tally.totals("dpr", RegionTree.ROOT))).as("dpr roll-up at the root vs the sheets")
                .containsExactly(expectedRollup);

        // (a) and (c) at every region, for ppwp, the applied DPD and DPR contests and the roll-up.
        Failures f = new Failures();
        List<Contest> checked = new ArrayList<>(List.of(ppwp));
        checked.addAll(applied);
        checked.add(rollup);
        for (Contest c : checked) checkNational(election, tally, c, f);
        // (d) the roll-up at every region equals the sum over all DPR contests there.
        List<Contest> dprs = election.contests().stream().filter(c -> c.kind() == ContestKind.DPR).toList();
        String[] labels = labels(rollup);
        long[][] sums = new long[tree.regionCount()][SCALARS + 2 * rollup.choices().size()];
        for (Contest c : dprs) {
            boolean[] has = hasRegions(election, c);
            for (int node = 0; node < tree.regionCount(); node++) if (has[node]) add(sums[node], mapped(tally.totals(c.id(), node), c, rollup));
        }
        for (int node = 0; node < tree.regionCount(); node++) {
            int n = node;
            f.equal(vector(tally.totals("dpr", node)), sums[node], labels, () -> "dpr roll-up, " + tree.code(n) + " vs the dapils");
        }
        long checkedAt = System.nanoTime();
        System.out.printf("national: build %.1f s, apply %,d sheets (%,d held, %,d of them PPWP) %.1f s, check %,d region"
                        + " totals %.1f s; provinces %s with %d DPR dapils%n", (built - start) / 1e9, sheetsApplied, held,
                ppwpHeld, (appliedAt - built) / 1e9, f.checks, (checkedAt - appliedAt) / 1e9,
                provinces.stream().map(tree::code).toList(), applied.size() - provinces.size());
        f.assertNone();
        assertThat(f.checks).isGreaterThan(4L * tree.regionCount());
    }

    /**
     * Draws every sheet of {@code contest} at these TPS (in parallel, in chunks), applies them in order, counted iff no
     * rule is broken, and adds the counted ones to {@code expected}; returns how many were held.
     */
    private static long applyAll(Tally tally, SyntheticElection se, Contest contest, int[] tps, long[] seq,
            Map<String, long[]> expected, Contest rollup, long[] expectedRollup) {
        long[] sum = expected.computeIfAbsent(contest.id(),
                id -> new long[SCALARS + 2 * contest.choices().size() + contest.candidateCount()]);
        RegionTree tree = se.tree();
        long held = 0;
        int chunk = 1 << 15;
        TallySheet[] sheets = new TallySheet[chunk];
        boolean[] counted = new boolean[chunk];
        for (int from = 0; from < tps.length; from += chunk) {
            int n = Math.min(chunk, tps.length - from), base = from;
            IntStream.range(0, n).parallel().forEach(i -> {
                sheets[i] = se.sheet(tps[base + i], contest);
                counted[i] = ConsistencyRules.check(sheets[i]).isEmpty();
            });
            for (int i = 0; i < n; i++) {
                tally.set(seq[0]++, sheets[i], counted[i]);
                int dpt = tree.dpt(tps[base + i]);
                add(sum, sheetVector(contest, sheets[i], counted[i], !counted[i], dpt));
                if (rollup != null) add(expectedRollup, rollupVector(rollup, sheets[i], counted[i], !counted[i], dpt));
                if (!counted[i]) held++;
            }
        }
        return held;
    }

    /** (a) children sums, (c) progress and DPT, and has() at every region of the national tree for one contest. */
    private static void checkNational(Election election, Tally tally, Contest c, Failures f) {
        RegionTree tree = election.tree();
        boolean[] has = hasRegions(election, c);
        long[] tpsTotal = new long[tree.regionCount()];
        long[] dpt = new long[tree.regionCount()];
        for (int root : roots(election, c))
            for (int t = tree.tpsStart(root); t < tree.tpsEnd(root); t++)
                for (int p = tree.parent(t); p >= 0; p = tree.parent(p)) {
                    tpsTotal[p]++;
                    dpt[p] += tree.dpt(t);
                }
        String[] labels = labels(c);
        for (int node = 0; node < tree.regionCount(); node++) {
            int n = node;
            boolean got = tally.has(c.id(), node);
            f.check(got == has[node], () -> c.id() + ", " + tree.code(n) + ": has() is " + got);
            if (!got || !has[node]) continue;
            Totals totals = tally.totals(c.id(), node);
            long[] v = vector(totals);
            long[] sum = new long[v.length];
            for (int kid : tally.children(c.id(), node)) add(sum, vector(tally.totals(c.id(), kid)));
            f.equal(v, sum, labels, () -> c.id() + ", " + tree.code(n) + " (" + tree.level(n) + ") vs its children");
            f.equal(new long[] {totals.tpsTotal(), totals.dpt()}, new long[] {tpsTotal[node], dpt[node]},
                    new String[] {"tpsTotal", "dpt"}, () -> c.id() + ", " + tree.code(n) + ": TPS of the district");
        }
    }

    /** The regions a contest has totals at: its district's subtrees and their ancestors. */
    private static boolean[] hasRegions(Election election, Contest c) {
        RegionTree tree = election.tree();
        boolean[] has = new boolean[tree.regionCount()];
        for (int root : roots(election, c)) {
            for (int i = root; i < tree.regionEnd(root); i++) has[i] = true;
            for (int p = tree.parent(root); p >= 0; p = tree.parent(p)) has[p] = true;
        }
        return has;
    }

    /** A contest's district roots; a roll-up (not among the contests) covers the whole tree. */
    private static int[] roots(Election election, Contest c) {
        return election.contest(c.id()) == null ? new int[] {RegionTree.ROOT} : election.districtRoots(c.id());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Vectors
    // ---------------------------------------------------------------------------------------------------------------

    static long[] vector(Totals t) {
        int n = t.choiceVotes().length, m = t.candidateVotes().length;
        long[] v = new long[SCALARS + 2 * n + m];
        v[0] = t.tpsCounted();
        v[1] = t.tpsHeld();
        v[2] = t.tpsTotal();
        v[3] = t.dpt();
        v[4] = t.voted();
        v[5] = t.valid();
        v[6] = t.invalid();
        v[7] = t.cast();
        System.arraycopy(t.choiceVotes(), 0, v, SCALARS, n);
        System.arraycopy(t.choiceTotals(), 0, v, SCALARS + n, n);
        System.arraycopy(t.candidateVotes(), 0, v, SCALARS + 2 * n, m);
        return v;
    }

    /** One TPS's vector for its contest, straight from the sheet: numbers only when counted. */
    static long[] sheetVector(Contest c, TallySheet s, boolean counted, boolean held, int dpt) {
        int n = c.choices().size();
        long[] v = new long[SCALARS + 2 * n + c.candidateCount()];
        v[0] = counted ? 1 : 0;
        v[1] = held ? 1 : 0;
        v[2] = 1;
        v[3] = dpt;
        if (!counted) return v;
        scalars(v, s);
        int cand = SCALARS + 2 * n;
        for (int i = 0; i < n; i++) {
            Choice choice = c.choices().get(i);
            ChoiceVotes cv = votesFor(s, choice.number());
            v[SCALARS + i] = cv.votes();
            v[SCALARS + n + i] = cv.votes();
            for (int k = 0; k < choice.candidates().size(); k++) {
                v[cand++] = cv.candidates().get(k);
                v[SCALARS + n + i] += cv.candidates().get(k);
            }
        }
        return v;
    }

    /** One TPS's vector for the roll-up: each party's own plus candidates' votes, by party number. */
    static long[] rollupVector(Contest rollup, TallySheet s, boolean counted, boolean held, int dpt) {
        int n = rollup.choices().size();
        long[] v = new long[SCALARS + 2 * n];
        v[0] = counted ? 1 : 0;
        v[1] = held ? 1 : 0;
        v[2] = 1;
        v[3] = dpt;
        if (!counted) return v;
        scalars(v, s);
        for (ChoiceVotes cv : s.votes()) {
            int i = rollup.choiceIndex(cv.choice());
            long total = cv.votes();
            for (int c : cv.candidates()) total += c;
            v[SCALARS + i] += total;
            v[SCALARS + n + i] += total;
        }
        return v;
    }

    /** A dapil's totals at a region in roll-up layout: its party totals placed by party number. */
    static long[] mapped(Totals t, Contest dapil, Contest rollup) {
        int n = rollup.choices().size();
        long[] v = new long[SCALARS + 2 * n];
        System.arraycopy(vector(t), 0, v, 0, SCALARS);
        for (int i = 0; i < dapil.choices().size(); i++) {
            int j = rollup.choiceIndex(dapil.choices().get(i).number());
            v[SCALARS + j] += t.choiceTotals()[i];
            v[SCALARS + n + j] += t.choiceTotals()[i];
        }
        return v;
    }

    private static void scalars(long[] v, TallySheet s) {
        v[4] = s.voted().total().total();
        v[5] = s.valid();
        v[6] = s.invalid();
        v[7] = s.cast();
    }

    private static ChoiceVotes votesFor(TallySheet s, int number) {
        for (ChoiceVotes cv : s.votes()) if (cv.choice() == number) return cv;
        throw new AssertionError("sheet " + s.tps() + "/" + s.contest() + " has no votes for choice " + number);
    }

    static void add(long[] into, long[] v) {
        for (int i = 0; i < v.length; i++) into[i] += v[i];
    }

    static String[] labels(Contest c) {
        int n = c.choices().size();
        String[] out = new String[SCALARS + 2 * n + c.candidateCount()];
        System.arraycopy(SCALAR_NAMES, 0, out, 0, SCALARS);
        int cand = SCALARS + 2 * n;
        for (int i = 0; i < n; i++) {
            Choice ch = c.choices().get(i);
            out[SCALARS + i] = "choiceVotes[" + ch.number() + "]";
            out[SCALARS + n + i] = "choiceTotals[" + ch.number() + "]";
            for (Candidate k : ch.candidates()) out[cand++] = "candidateVotes[" + ch.number() + "." + k.number() + "]";
        }
        return out;
    }

    /** Collects mismatches (the first few in full) so that hundreds of thousands of comparisons stay cheap. */
    private static final class Failures {
        final List<String> first = new ArrayList<>();
        long count, checks;

        void check(boolean ok, Supplier<String> what) {
            checks++;
            if (!ok) fail(what.get());
        }

        void equal(Object actual, Object expected, Supplier<String> what) {
            check(actual.equals(expected), () -> what.get() + ": expected " + expected + " but was " + actual);
        }

        void equal(long[] actual, long[] expected, String[] labels, Supplier<String> what) {
            checks++;
            if (Arrays.equals(actual, expected)) return;
            StringBuilder diff = new StringBuilder(what.get()).append(':');
            if (actual.length != expected.length) diff.append(" width ").append(actual.length).append(" != ").append(expected.length);
            for (int i = 0; i < Math.min(actual.length, expected.length); i++)
                if (actual[i] != expected[i])
                    diff.append(' ').append(labels[i]).append(" expected ").append(expected[i]).append(" but was ").append(actual[i]);
            fail(diff.toString());
        }

        private void fail(String message) {
            if (first.size() < 25) first.add(message);
            count++;
        }

        void assertNone() {
            assertThat(first).as("%d of %d checks failed; the first ones", count, checks).isEmpty();
        }
    }
}
