package org.rekap.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The region tree: any depth, shallower branches, and every subtree as one range of regions and one of TPS. */
class RegionTreeTest {
    private static Region region(String code, String parent, String level) {
        return new Region(code, parent, level, "R " + code, 0);
    }

    private static Region tps(String parent, int number, int dpt) {
        return new Region(TpsNumbers.tpsCode(parent, number), parent, RegionTree.TPS_LEVEL, "TPS " + number, dpt);
    }

    private static final String DESA = "11.01.01.2001";
    private static final String DUSUN = "11.01.01.2001.1";
    private static final String RW1 = "11.01.01.2001.1.1";
    private static final String RW2 = "11.01.01.2001.1.2";

    /**
     * Six region levels down to the RW in province 11, a second village with its TPS directly under it, and an
     * overseas branch two levels deep. Rows are given out of order on purpose.
     *
     * <pre>
     * 11 provinsi
     *   11.01 kabupaten_kota
     *     11.01.01 kecamatan
     *       11.01.01.2001 kelurahan_desa
     *         11.01.01.2001.1 dusun
     *           11.01.01.2001.1.1 rw      TPS 001 (DPT 200), 002 (DPT 150)
     *           11.01.01.2001.1.2 rw      TPS 001 (DPT 100)
     *       11.01.01.2002 kelurahan_desa  TPS 001 (DPT 280)
     * 99 luar_negeri
     *   99.01 ppln                        TPS 001 (DPT 50), 002 (DPT 60)
     * </pre>
     */
    private static List<Region> rows() {
        return List.of(
                tps("99.01", 2, 60),
                region(RW2, DUSUN, "rw"),
                tps(RW1, 2, 150),
                region("11.01.01.2002", "11.01.01", "kelurahan_desa"),
                region("11", "", "provinsi"),
                tps(RW2, 1, 100),
                region("99.01", "99", "ppln"),
                region(DUSUN, DESA, "dusun"),
                region("11.01", "11", "kabupaten_kota"),
                tps("11.01.01.2002", 1, 280),
                region(RW1, DUSUN, "rw"),
                region("99", "", "luar_negeri"),
                region("11.01.01", "11.01", "kecamatan"),
                tps(RW1, 1, 200),
                region(DESA, "11.01.01", "kelurahan_desa"),
                tps("99.01", 1, 50));
    }

    private static final RegionTree TREE = RegionTree.of("DUNIA", rows());

    private static int at(String code) {
        int i = TREE.index(code);
        assertThat(i).as("index of %s", code).isNotNegative();
        return i;
    }

    private static Set<String> regionCodesOf(String code) {
        int i = at(code);
        Set<String> out = new HashSet<>();
        for (int j = i; j < TREE.regionEnd(i); j++) out.add(TREE.code(j));
        return out;
    }

    private static List<String> tpsCodesOf(String code) {
        int i = at(code);
        List<String> out = new ArrayList<>();
        for (int j = TREE.tpsStart(i); j < TREE.tpsEnd(i); j++) out.add(TREE.code(j));
        return out;
    }

    @Test
    void theRootComesFirstThenRegionsThenTps() {
        assertThat(TREE.size()).isEqualTo(17);            // root + 10 regions + 6 TPS
        assertThat(TREE.regionCount()).isEqualTo(11);     // root + 10 regions
        assertThat(TREE.tpsCount()).isEqualTo(6);
        assertThat(TREE.code(RegionTree.ROOT)).isEqualTo(RegionTree.ROOT_CODE);
        assertThat(TREE.name(RegionTree.ROOT)).isEqualTo("DUNIA");
        assertThat(TREE.level(RegionTree.ROOT)).isEqualTo(RegionTree.ROOT_LEVEL);
        assertThat(TREE.parent(RegionTree.ROOT)).isEqualTo(-1);
        for (int i = 0; i < TREE.size(); i++) assertThat(TREE.isTps(i)).isEqualTo(i >= 11);
        assertThat(TREE.regionEnd(RegionTree.ROOT)).isEqualTo(11);
        assertThat(TREE.tpsStart(RegionTree.ROOT)).isEqualTo(11);
        assertThat(TREE.tpsEnd(RegionTree.ROOT)).isEqualTo(17);
    }

    @Test
    void aSubtreesRegionsAreOneContiguousRange() {
        assertThat(regionCodesOf("11")).containsExactlyInAnyOrder("11", "11.01", "11.01.01", DESA, DUSUN, RW1, RW2,
                "11.01.01.2002");
        assertThat(regionCodesOf(DESA)).containsExactlyInAnyOrder(DESA, DUSUN, RW1, RW2);
        assertThat(regionCodesOf(RW1)).containsExactly(RW1);
        assertThat(regionCodesOf("99")).containsExactlyInAnyOrder("99", "99.01");
    }

    @Test
    void aSubtreesTpsAreOneContiguousRangeInTheirParentsOrder() {
        assertThat(tpsCodesOf(DESA)).containsExactly(RW1 + ".001", RW1 + ".002", RW2 + ".001");
        assertThat(tpsCodesOf("11")).containsExactly(RW1 + ".001", RW1 + ".002", RW2 + ".001", "11.01.01.2002.001");
        assertThat(tpsCodesOf("99")).containsExactly("99.01.001", "99.01.002");
        assertThat(TREE.tpsTotal(at("11.01.01"))).isEqualTo(4);
        assertThat(TREE.tpsTotal(RegionTree.ROOT)).isEqualTo(6);
        // A TPS is its own one-element range.
        int t = at("99.01.002");
        assertThat(TREE.tpsStart(t)).isEqualTo(t);
        assertThat(TREE.tpsEnd(t)).isEqualTo(t + 1);
    }

    @Test
    void dptTotalsSumTheTpsBelow() {
        assertThat(TREE.dpt(at(RW1 + ".002"))).isEqualTo(150);
        assertThat(TREE.dptTotal(at(RW1))).isEqualTo(350);                 // 200 + 150
        assertThat(TREE.dptTotal(at(DESA))).isEqualTo(450);                // 350 + 100
        assertThat(TREE.dptTotal(at("11"))).isEqualTo(730);                // 450 + 280
        assertThat(TREE.dptTotal(at("99"))).isEqualTo(110);                // 50 + 60
        assertThat(TREE.dptTotal(RegionTree.ROOT)).isEqualTo(840);         // 730 + 110
    }

    @Test
    void withinIsSubtreeMembership() {
        int tpsAbroad = at("99.01.001");
        int tpsRw = at(RW2 + ".001");
        assertThat(TREE.within(tpsAbroad, at("99"))).isTrue();
        assertThat(TREE.within(tpsAbroad, at("11"))).isFalse();
        assertThat(TREE.within(tpsRw, at(DUSUN))).isTrue();
        assertThat(TREE.within(tpsRw, at(RW1))).isFalse();
        assertThat(TREE.within(at(RW2), at("11.01"))).isTrue();
        assertThat(TREE.within(at("11.01"), at(RW2))).isFalse();
        assertThat(TREE.within(tpsRw, tpsRw)).isTrue();
        assertThat(TREE.within(at(RW2), tpsRw)).isFalse();
        assertThat(TREE.within(at(RW1 + ".001"), at(RW1 + ".002"))).isFalse();
        for (int i = 0; i < TREE.size(); i++) assertThat(TREE.within(i, RegionTree.ROOT)).isTrue();
    }

    @Test
    void pathAndDepthFollowTheParents() {
        int deep = at(RW1 + ".001");
        assertThat(TREE.depth(deep)).isEqualTo(7);
        assertThat(Arrays.stream(TREE.path(deep)).mapToObj(TREE::code).toList())
                .containsExactly("0", "11", "11.01", "11.01.01", DESA, DUSUN, RW1);
        int abroad = at("99.01.002");
        assertThat(TREE.depth(abroad)).isEqualTo(3);
        assertThat(Arrays.stream(TREE.path(abroad)).mapToObj(TREE::code).toList()).containsExactly("0", "99", "99.01");
        assertThat(TREE.depth(RegionTree.ROOT)).isZero();
        assertThat(TREE.path(RegionTree.ROOT)).isEmpty();
        assertThat(TREE.level(at("99.01"))).isEqualTo("ppln");
        assertThat(TREE.parent(abroad)).isEqualTo(at("99.01"));
    }

    @Test
    void childrenAreInCodeOrderComparedNumerically() {
        // Codes 9 and 10 sort as numbers (9 before 10), not as text ("10" before "9").
        RegionTree t = RegionTree.of("X", List.of(region("10", "", "provinsi"), region("9", "", "provinsi"),
                region("9.10", "9", "kab"), region("9.9", "9", "kab")));
        List<String> kids = new ArrayList<>();
        for (int k = 0; k < t.childCount(RegionTree.ROOT); k++) kids.add(t.code(t.child(RegionTree.ROOT, k)));
        assertThat(kids).containsExactly("9", "10");
        assertThat(t.code(2)).isEqualTo("9.9");
        assertThat(t.code(3)).isEqualTo("9.10");
    }

    @Test
    void regionRowsReadBackAsGiven() {
        assertThat(TREE.region(at("11"))).isEqualTo(region("11", "", "provinsi"));
        assertThat(TREE.region(at(RW1 + ".002"))).isEqualTo(tps(RW1, 2, 150));
        assertThat(TREE.levelCounts()).containsEntry("rw", 2).containsEntry("tps", 6).containsEntry("ppln", 1)
                .containsEntry("provinsi", 1).containsEntry("luar_negeri", 1);
    }

    @Test
    void aRegionWithoutTpsHasAnEmptyTpsRangeAndDoesNotWidenItsParents() {
        // Village 2003 has no TPS; kecamatan 11.02.01 holds it and village 2001 with TPS 1-2 (DPT 10 and 20).
        // Province 11 comes first, so TPS of 11.01.01.2001 precede those of 11.02.01.2001.
        List<Region> rows = List.of(
                region("11", "", "provinsi"), region("11.01", "11", "kab"), region("11.01.01", "11.01", "kec"),
                region("11.01.01.2001", "11.01.01", "desa"), tps("11.01.01.2001", 1, 7),
                region("11.02", "11", "kab"), region("11.02.01", "11.02", "kec"),
                region("11.02.01.2001", "11.02.01", "desa"), tps("11.02.01.2001", 1, 10), tps("11.02.01.2001", 2, 20),
                region("11.02.01.2003", "11.02.01", "desa"));
        RegionTree t = RegionTree.of("X", rows);
        int empty = t.index("11.02.01.2003");
        assertThat(t.tpsTotal(empty)).isZero();
        int kec = t.index("11.02.01");
        // Only the two TPS of 11.02.01.2001 belong to the kecamatan, not the TPS of 11.01.01.2001.
        assertThat(t.tpsTotal(kec)).isEqualTo(2);
        assertThat(t.code(t.tpsStart(kec))).isEqualTo("11.02.01.2001.001");
        assertThat(t.within(t.index("11.01.01.2001.001"), kec)).isFalse();
        assertThat(t.dptTotal(kec)).isEqualTo(30);
    }

    // ---- refusals ----

    @Test
    void aDuplicateCodeIsRefusedNamingIt() {
        List<Region> rows = new ArrayList<>(rows());
        rows.add(region("11.01", "11", "kabupaten_kota"));
        assertThatThrownBy(() -> RegionTree.of("X", rows)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("11.01");
    }

    @Test
    void anUnknownParentIsRefusedNamingTheRegionAndTheParent() {
        List<Region> rows = new ArrayList<>(rows());
        rows.add(region("11.07", "12", "kabupaten_kota"));
        assertThatThrownBy(() -> RegionTree.of("X", rows)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("11.07").hasMessageContaining("12");
    }

    @Test
    void aRegionUnderATpsIsRefusedNamingBoth() {
        List<Region> rows = new ArrayList<>(rows());
        rows.add(region("99.01.001.1", "99.01.001", "bilik"));
        assertThatThrownBy(() -> RegionTree.of("X", rows)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("99.01.001.1").hasMessageContaining("99.01.001");
    }

    @Test
    void aTpsWithoutAParentRegionIsRefused() {
        assertThatThrownBy(() -> RegionTree.of("X", List.of(new Region("5", "", RegionTree.TPS_LEVEL, "TPS 5", 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5");
    }

    @Test
    void theRootCodeIsReserved() {
        assertThatThrownBy(() -> RegionTree.of("X", List.of(region("0", "", "provinsi"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }

    @Test
    void aCycleIsRefusedNamingARegionInIt() {
        // 50 hangs under 51 and 51 under 50: neither reaches the root.
        List<Region> rows = new ArrayList<>(rows());
        rows.add(region("50", "51", "provinsi"));
        rows.add(region("51", "50", "provinsi"));
        assertThatThrownBy(() -> RegionTree.of("X", rows)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cycle").hasMessageMatching("(?s).*\\b5[01]\\b.*");
    }

    @Test
    void aCycleWithTpsUnderItIsRefusedAsBadInputNotACrash() {
        // As above, with a TPS under region 50.
        List<Region> rows = new ArrayList<>(rows());
        rows.add(region("50", "51", "provinsi"));
        rows.add(region("51", "50", "provinsi"));
        rows.add(tps("50", 1, 100));
        assertThatThrownBy(() -> RegionTree.of("X", rows)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cycle");
    }

    // ---- random trees against a brute-force walk ----

    @Test
    void rangesMatchABruteForceWalkOn200RandomTrees() {
        Random random = new Random(20240214L);
        for (int round = 0; round < 200; round++) {
            List<Region> rows = randomRows(random);
            RegionTree t = RegionTree.of("R", rows);
            String where = "round " + round + " with " + rows.size() + " rows";
            assertThat(t.size()).as(where).isEqualTo(rows.size() + 1);
            int n = t.size();
            // Brute force: every node's ancestors by walking parent codes in the input rows.
            Map<String, Region> byCode = new java.util.HashMap<>();
            for (Region r : rows) byCode.put(r.code(), r);
            long[] dptSum = new long[n];
            boolean[][] inside = new boolean[n][n];
            for (int j = 0; j < n; j++) {
                inside[j][j] = true;
                inside[j][RegionTree.ROOT] = true;
                int depth = j == 0 ? 0 : 1;
                String p = j == 0 ? "" : byCode.get(t.code(j)).parentCode();
                while (!p.isEmpty()) {
                    inside[j][t.index(p)] = true;
                    p = byCode.get(p).parentCode();
                    depth++;
                }
                assertThat(t.depth(j)).as(where).isEqualTo(depth);
                if (t.isTps(j)) for (int a = 0; a < n; a++) if (inside[j][a]) dptSum[a] += byCode.get(t.code(j)).dpt();
            }
            List<String> mismatches = new ArrayList<>();
            for (int a = 0; a < n; a++) {
                if (t.index(t.code(a)) != a) mismatches.add("index(" + t.code(a) + ")");
                int regions = 0, tpsCount = 0;
                for (int j = 0; j < n; j++) {
                    boolean in = inside[j][a];
                    if (t.within(j, a) != in) mismatches.add("within(" + t.code(j) + ", " + t.code(a) + ")");
                    boolean inRange = t.isTps(j) ? j >= t.tpsStart(a) && j < t.tpsEnd(a) : j >= a && j < t.regionEnd(a);
                    if (inRange != in) mismatches.add(t.code(j) + " in the range of " + t.code(a) + " is " + inRange);
                    if (in && t.isTps(j)) tpsCount++;
                    if (in && !t.isTps(j)) regions++;
                }
                if (t.tpsTotal(a) != tpsCount) mismatches.add("tpsTotal(" + t.code(a) + ") " + t.tpsTotal(a) + " != " + tpsCount);
                if (!t.isTps(a) && t.regionEnd(a) - a != regions) mismatches.add("regions of " + t.code(a));
                if (t.dptTotal(a) != dptSum[a]) mismatches.add("dptTotal(" + t.code(a) + ")");
            }
            assertThat(mismatches).as(where).isEmpty();
        }
    }

    /**
     * 1 to 40 regions, each under the root or an earlier region, depth unbounded; some regions get 1 to 4 TPS with
     * DPT 0..300, some get none; the rows are shuffled.
     */
    private static List<Region> randomRows(Random random) {
        int regions = 1 + random.nextInt(40);
        List<String> codes = new ArrayList<>();
        List<Region> rows = new ArrayList<>();
        int[] kids = new int[regions + 1];
        for (int i = 0; i < regions; i++) {
            int parent = random.nextInt(codes.size() + 1) - 1; // -1: under the root
            String parentCode = parent < 0 ? "" : codes.get(parent);
            int k = ++kids[parent + 1];
            String code = parent < 0 ? String.valueOf(k) : parentCode + "." + k;
            codes.add(code);
            rows.add(new Region(code, parentCode, "level" + code.split("\\.").length, "R " + code, 0));
        }
        for (String code : codes) {
            if (random.nextInt(3) == 0) continue; // no TPS here
            int count = 1 + random.nextInt(4);
            int number = 0;
            for (int k = 0; k < count; k++) {
                number += 1 + random.nextInt(random.nextBoolean() ? 2 : 400);
                rows.add(tps(code, number, random.nextInt(301)));
            }
        }
        Collections.shuffle(rows, random);
        return rows;
    }
}
