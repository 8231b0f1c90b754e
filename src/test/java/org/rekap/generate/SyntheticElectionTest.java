package org.rekap.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rekap.cli.Main;
import org.rekap.codec.ContestsJson;
import org.rekap.codec.RegionCsv;
import org.rekap.contest.Contest;
import org.rekap.contest.ContestKind;
import org.rekap.contest.Election;
import org.rekap.region.Region;
import org.rekap.region.RegionTree;
import org.rekap.sheet.ConsistencyRules;
import org.rekap.sheet.Rule;
import org.rekap.sheet.SheetShape;
import org.rekap.sheet.TallySheet;
import org.rekap.sheet.Violation;

class SyntheticElectionTest {
    /** Built once: the national tree takes a few seconds. */
    private static SyntheticElection national;

    private static synchronized SyntheticElection national() {
        if (national == null) national = SyntheticElection.of(Scale.NATIONAL, 1);
        return national;
    }

    @Test
    void theSameSeedWritesTheSameBytesAndAnotherSeedOthers(@TempDir Path dir) throws Exception {
        for (Scale scale : List.of(Scale.SMALL, Scale.PROVINCE)) {
            Path a = dir.resolve(scale.id() + "-a"), b = dir.resolve(scale.id() + "-b"), c = dir.resolve(scale.id() + "-c");
            ElectionFiles.write(SyntheticElection.of(scale, 7), a, true, null);
            ElectionFiles.write(SyntheticElection.of(scale, 7), b, true, null);
            ElectionFiles.write(SyntheticElection.of(scale, 8), c, true, null);
            for (String f : List.of(ElectionFiles.REGIONS, ElectionFiles.CONTESTS, ElectionFiles.SHEETS)) {
                byte[] first = Files.readAllBytes(a.resolve(f));
                assertThat(first).as(scale + " " + f).isNotEmpty();
                assertThat(Files.readAllBytes(b.resolve(f))).as(scale + " " + f).isEqualTo(first);
                assertThat(Files.readAllBytes(c.resolve(f))).as(scale + " " + f + " with another seed").isNotEqualTo(first);
            }
            try (var files = Files.list(a)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                        ElectionFiles.REGIONS, ElectionFiles.CONTESTS, ElectionFiles.SHEETS); // no temporary file left
            }
        }
    }

    @Test
    void sheetsFileHasOneLinePerTpsAndContestInTreeThenBallotOrder(@TempDir Path dir) throws Exception {
        SyntheticElection e = SyntheticElection.of(Scale.SMALL, 3);
        ElectionFiles.Written w = ElectionFiles.write(e, dir, true, null);
        List<String> lines = Files.readAllLines(dir.resolve(ElectionFiles.SHEETS), StandardCharsets.UTF_8);
        RegionTree tree = e.tree();
        List<String> expected = new ArrayList<>();
        for (int t = tree.regionCount(); t < tree.size(); t++)
            for (Contest c : e.election().contestsAt(t)) expected.add("\"contest\":\"" + c.id() + "\"," + "\"invalid\"");
        assertThat(lines).hasSize(expected.size());
        assertThat(w.sheets()).isEqualTo(lines.size()).isEqualTo(e.sheetCount());
        for (int i = 0; i < lines.size(); i++) assertThat(lines.get(i)).startsWith("{\"ballots\"").contains(expected.get(i));
        assertThat(lines.getFirst()).contains("\"tps\":\"11.01.01.2001.001\"");
    }

    @Test
    void smallScaleIsARegularTreeWithAShallowerOverseasBranch() {
        SyntheticElection e = SyntheticElection.of(Scale.SMALL, 1);
        RegionTree tree = e.tree();
        Map<String, Integer> levels = tree.levelCounts();
        assertThat(levels).containsEntry("provinsi", 2).containsEntry("kabupaten_kota", 4).containsEntry("kecamatan", 8)
                .containsEntry("kelurahan_desa", 24).containsEntry("luar_negeri", 1).containsEntry("ppln", 2);
        int overseas = tree.index("99");
        assertThat(tree.name(overseas)).isEqualTo("LUAR NEGERI");
        assertThat(tree.name(tree.index("99.01"))).isEqualTo("KUALA LUMPUR");
        int tpsKl = tree.index("99.01.001");
        assertThat(tree.isTps(tpsKl)).isTrue();
        assertThat(tree.level(tree.parent(tpsKl))).isEqualTo("ppln");
        assertThat(e.election().contestsAt(tpsKl)).extracting(Contest::id).containsExactly("ppwp", "dpr-99-1");
        for (int t = tree.regionCount(); t < tree.size(); t++) {
            if (tree.within(t, overseas)) continue;
            assertThat(tree.dpt(t)).isBetween(1, 300);
            String province = tree.code(t).substring(0, 2);
            assertThat(e.election().contestsAt(t)).extracting(Contest::id)
                    .containsExactly("ppwp", "dpr-" + province + "-1", "dpd-" + province);
        }
        // regions() is the row list that rebuilds the same tree.
        RegionTree again = RegionTree.of(SyntheticElection.ROOT_NAME, e.regions());
        assertThat(again.size()).isEqualTo(tree.size());
        for (int i = 0; i < tree.size(); i++) assertThat(again.region(i)).isEqualTo(tree.region(i));
    }

    @Test
    void nationalScaleHasThe2024Counts() {
        SyntheticElection e = national();
        RegionTree tree = e.tree();
        assertThat(tree.levelCounts()).containsExactly(Map.entry("provinsi", 38), Map.entry("kabupaten_kota", 514),
                Map.entry("kecamatan", 7_277), Map.entry("kelurahan_desa", 83_731), Map.entry("tps", 820_161));
        assertThat(tree.tpsCount()).isEqualTo(820_161);
        int dptOutOfRange = 0;
        for (int t = tree.regionCount(); t < tree.size(); t++) if (tree.dpt(t) < 1 || tree.dpt(t) > 300) dptOutOfRange++;
        assertThat(dptOutOfRange).isZero();
        assertThat((double) tree.dptTotal(RegionTree.ROOT)).isCloseTo(204_807_222, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(tree.code(tree.child(RegionTree.ROOT, 0))).isEqualTo("11");
        assertThat(tree.code(tree.child(RegionTree.ROOT, 37))).isEqualTo("96");

        Map<ContestKind, Integer> contests = new EnumMap<>(ContestKind.class);
        Map<ContestKind, Integer> candidates = new EnumMap<>(ContestKind.class);
        for (Contest c : e.election().contests()) {
            contests.merge(c.kind(), 1, Integer::sum);
            candidates.merge(c.kind(), c.kind().partyList() ? c.candidateCount() : c.choices().size(), Integer::sum);
            if (c.kind() == ContestKind.DPR) {
                assertThat(c.choices()).hasSize(18);
                assertThat(c.choices().getFirst().candidates().size()).isBetween(1, 10);
                String province = c.district().getFirst().substring(0, 2);
                assertThat(c.district()).allSatisfy(code -> {
                    assertThat(tree.level(tree.index(code))).isEqualTo("kabupaten_kota");
                    assertThat(code).startsWith(province + ".");
                });
            }
        }
        assertThat(contests).containsExactly(Map.entry(ContestKind.PPWP, 1), Map.entry(ContestKind.DPD, 38),
                Map.entry(ContestKind.DPR, 84));
        assertThat(e.election().contest("ppwp").choices()).hasSize(3);
        assertThat((double) candidates.get(ContestKind.DPD)).isCloseTo(668, org.assertj.core.data.Percentage.withPercentage(10));
        assertThat((double) candidates.get(ContestKind.DPR)).isCloseTo(9_917, org.assertj.core.data.Percentage.withPercentage(10));

        long sheets = 0;
        List<String> wrong = new ArrayList<>();
        for (int t = tree.regionCount(); t < tree.size(); t++) {
            List<Contest> at = e.election().contestsAt(t);
            sheets += at.size();
            if (at.size() != 3 || at.get(0).kind() != ContestKind.PPWP || at.get(1).kind() != ContestKind.DPR
                    || at.get(2).kind() != ContestKind.DPD)
                wrong.add(tree.code(t) + " votes in " + at.stream().map(Contest::id).toList());
        }
        assertThat(wrong).as("TPS not voting in exactly one PPWP, DPR and DPD contest").isEmpty();
        assertThat(e.sheetCount()).isEqualTo(sheets).isEqualTo(3L * 820_161);
    }

    @Test
    void nationalFilesReadBack(@TempDir Path dir) throws Exception {
        SyntheticElection e = national();
        ElectionFiles.Written w = ElectionFiles.write(e, dir, false, null);
        assertThat(w.files()).extracting(p -> p.getFileName().toString())
                .containsExactly(ElectionFiles.REGIONS, ElectionFiles.CONTESTS);
        assertThat(dir.resolve(ElectionFiles.SHEETS)).doesNotExist();
        List<Region> rows;
        try (BufferedReader in = Files.newBufferedReader(dir.resolve(ElectionFiles.REGIONS))) {
            rows = RegionCsv.read(in);
        }
        assertThat(rows).hasSize(e.tree().size() - 1);
        long dpt = 0;
        for (Region r : rows) dpt += r.dpt();
        assertThat(dpt).isEqualTo(e.tree().dptTotal(RegionTree.ROOT));
        ContestsJson.Setup setup = ContestsJson.read(Files.readAllBytes(dir.resolve(ElectionFiles.CONTESTS)));
        assertThat(setup).isEqualTo(e.setup());
    }

    @Test
    void correctSheetsPassEveryRuleAndAboutOnePercentBreakOne() {
        SyntheticElection e = national();
        RegionTree tree = e.tree();
        Election election = e.election();
        SplittableRandom pick = new SplittableRandom(42);
        int sampled = 0, anomalous = 0;
        Map<Anomaly, Integer> kinds = new EnumMap<>(Anomaly.class);
        for (int i = 0; i < 20_000; i++) {
            int t = tree.regionCount() + pick.nextInt(tree.tpsCount());
            List<Contest> at = election.contestsAt(t);
            Contest c = at.get(pick.nextInt(at.size()));
            TallySheet s = e.sheet(t, c);
            sampled++;
            assertThat(s.tps()).isEqualTo(tree.code(t));
            assertThat(s.contest()).isEqualTo(c.id());
            assertThat(SheetShape.check(s, election, "")).as("shape of %s %s", s.tps(), c.id()).isEmpty();
            assertThat(s.registered().dpt().l() + s.registered().dpt().p()).isEqualTo(tree.dpt(t));
            assertThat(s.ballots().received()).isGreaterThanOrEqualTo(tree.dpt(t) + (int) Math.ceil(tree.dpt(t) * 0.02));
            List<Violation> violations = ConsistencyRules.check(s);
            Anomaly anomaly = e.anomaly(t, c);
            assertThat(e.isAnomalous(t, c)).isEqualTo(anomaly != null);
            if (anomaly == null) {
                assertThat(violations).as("violations of %s %s", s.tps(), c.id()).isEmpty();
                continue;
            }
            anomalous++;
            kinds.merge(anomaly, 1, Integer::sum);
            Set<Rule> broken = new HashSet<>();
            for (Violation v : violations) broken.add(v.rule());
            switch (anomaly) {
                case MISREAD_DIGIT -> assertThat(broken).containsAnyOf(Rule.CHOICE_SUM, Rule.VALID_SUM);
                case TOTAL_OFF -> assertThat(broken).contains(Rule.CAST_SUM);
                case SEX_SUM_OFF -> assertThat(broken).contains(Rule.SEX_SUM);
            }
        }
        double share = (double) anomalous / sampled;
        assertThat(share).isBetween(0.003, 0.03);
        assertThat(kinds.keySet()).containsExactlyInAnyOrder(Anomaly.values());
    }

    @Test
    void aMisreadAddsDigitsInFrontAndStaysWithinTheImpossibleLimit() {
        SplittableRandom r = new SplittableRandom(5);
        for (int value : new int[] {0, 1, 17, 84, 299}) {
            for (int i = 0; i < 200; i++) {
                int read = SyntheticSheets.misread(value, r, 3_000);
                assertThat(read).isNotEqualTo(value).isBetween(0, 3_000);
                if (value > 0) assertThat(Integer.toString(read)).endsWith(Integer.toString(value)).hasSizeGreaterThan(Integer.toString(value).length());
            }
        }
    }

    @Test
    void theLeadingPresidentialPairDiffersBetweenProvinces() {
        SyntheticElection e = national();
        RegionTree tree = e.tree();
        Contest ppwp = e.election().contest("ppwp");
        SplittableRandom pick = new SplittableRandom(9);
        Map<String, Integer> leaders = new HashMap<>();
        for (int k = 0; k < tree.childCount(RegionTree.ROOT); k++) {
            int province = tree.child(RegionTree.ROOT, k);
            long[] votes = new long[3];
            for (int i = 0; i < 60; i++) {
                int t = tree.tpsStart(province) + pick.nextInt(tree.tpsTotal(province));
                TallySheet s = e.sheet(t, ppwp);
                for (int c = 0; c < 3; c++) votes[c] += s.votes().get(c).total();
            }
            int lead = 0;
            for (int c = 1; c < 3; c++) if (votes[c] > votes[lead]) lead = c;
            leaders.put(tree.code(province), lead + 1);
        }
        assertThat(leaders).hasSize(38);
        assertThat(new HashSet<>(leaders.values())).as("leading pair per province: %s", leaders).hasSizeGreaterThan(1);
    }

    @Test
    void aSheetDoesNotDependOnTheOrderOfCalls() {
        SyntheticElection first = SyntheticElection.of(Scale.PROVINCE, 11);
        SyntheticElection second = SyntheticElection.of(Scale.PROVINCE, 11);
        RegionTree tree = first.tree();
        SplittableRandom pick = new SplittableRandom(3);
        List<int[]> pairs = new ArrayList<>(); // {tps, contest position}
        for (int i = 0; i < 300; i++) {
            int t = tree.regionCount() + pick.nextInt(tree.tpsCount());
            pairs.add(new int[] {t, pick.nextInt(first.election().contestsAt(t).size())});
        }
        List<TallySheet> forward = new ArrayList<>();
        for (int[] p : pairs) forward.add(first.sheet(p[0], first.election().contestsAt(p[0]).get(p[1])));
        for (int i = pairs.size() - 1; i >= 0; i--) {
            int[] p = pairs.get(i);
            Contest c = second.election().contestsAt(p[0]).get(p[1]);
            assertThat(second.sheet(p[0], c)).isEqualTo(forward.get(i));
            assertThat(first.sheet(p[0], first.election().contestsAt(p[0]).get(p[1]))).isEqualTo(forward.get(i));
        }
    }

    @Test
    void generateCommandWritesTheFilesAndRefusesAnUnusableDirectory(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        Path target = dir.resolve("small");
        assertThat(cli.execute("generate", "--scale", "small", "--seed", "4", "--sheets", "--out", target.toString())).isEqualTo(0);
        assertThat(target.resolve(ElectionFiles.SHEETS)).isNotEmptyFile();
        assertThat(out.toString()).contains("2 provinsi", "2 ppln", "102 tps", "1 ppwp", "3 dpr", "2 dpd", "300 sheets");

        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThat(cli.execute("generate", "--out", file.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("cannot write").contains("not-a-dir").doesNotContain("Exception");
        assertThat(cli.execute("generate", "--scale", "planet", "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("small, province, national");
    }
}
