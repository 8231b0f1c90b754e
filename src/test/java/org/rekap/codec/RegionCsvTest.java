package org.rekap.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rekap.region.Region;
import org.rekap.region.RegionTree;
import org.rekap.region.TpsNumbers;

/** The region CSV: the real 2024 file, every bad line reported, quoting, and write/read round trips. */
class RegionCsvTest {

    private static List<Region> read(String text) throws IOException, InvalidInputException {
        return RegionCsv.read(new BufferedReader(new StringReader(text)));
    }

    private static List<Integer> errorLines(String text) {
        try {
            read(text);
        } catch (InvalidInputException e) {
            return e.errors().stream().map(InputError::line).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the file was accepted:\n" + text);
    }

    private static InvalidInputException refusal(String text) {
        try {
            read(text);
        } catch (InvalidInputException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the file was accepted:\n" + text);
    }

    // ---- (a) the real 2024 region file ----

    private static Path realFile() {
        String dir = System.getProperty("rekap.sharedData", "../shared/data");
        return Path.of(dir, "wilayah-2024.csv");
    }

    @Test
    void theReal2024FileHasEveryRegionAndTps() throws Exception {
        Path file = realFile();
        // No skipping: without the shared file this test must fail.
        assertThat(file).as("the shared region file (system property rekap.sharedData)").isRegularFile();
        List<Region> rows;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            rows = RegionCsv.read(in);
        }
        RegionTree tree = RegionTree.of("INDONESIA", rows);
        assertThat(tree.levelCounts())
                .containsEntry("provinsi", 38)
                .containsEntry("kabupaten_kota", 514)
                .containsEntry("kecamatan", 7_277)
                .containsEntry("kelurahan_desa", 83_731)
                .containsEntry(RegionTree.TPS_LEVEL, 820_161)
                .hasSize(5);
        assertThat(tree.regionCount()).isEqualTo(91_560 + 1); // plus the root
        assertThat(tree.tpsCount()).isEqualTo(820_161);
        assertThat(tree.tpsTotal(RegionTree.ROOT)).isEqualTo(820_161);

        // Line 45448 of the file: 33.21.01.2009,33.21.01,kelurahan_desa,BRUMBUNG,1-16 901-902
        // (found with: grep -n ',1-16 901-902' ../shared/data/wilayah-2024.csv)
        int village = tree.index("33.21.01.2009");
        assertThat(tree.name(village)).isEqualTo("BRUMBUNG");
        assertThat(tree.level(village)).isEqualTo("kelurahan_desa");
        assertThat(tree.tpsTotal(village)).isEqualTo(18);
        for (int n = 1; n <= 16; n++) assertThat(tree.index(TpsNumbers.tpsCode("33.21.01.2009", n))).isPositive();
        assertThat(tree.index("33.21.01.2009.001")).isPositive();
        assertThat(tree.index("33.21.01.2009.016")).isPositive();
        assertThat(tree.index("33.21.01.2009.901")).isPositive();
        assertThat(tree.index("33.21.01.2009.902")).isPositive();
        assertThat(tree.index("33.21.01.2009.017")).isEqualTo(-1);
        assertThat(tree.index("33.21.01.2009.900")).isEqualTo(-1);
        assertThat(tree.index("33.21.01.2009.903")).isEqualTo(-1);
        assertThat(tree.code(tree.tpsStart(village))).isEqualTo("33.21.01.2009.001");
        assertThat(tree.code(tree.tpsEnd(village) - 1)).isEqualTo("33.21.01.2009.902");
        int tps901 = tree.index("33.21.01.2009.901");
        assertThat(tree.parent(tps901)).isEqualTo(village);
        assertThat(tree.within(tps901, tree.index("33"))).isTrue();
        assertThat(tree.within(tps901, tree.index("32"))).isFalse();

        // Quoted names with a doubled quote and with commas (lines with "SOKA""AN" and "LUBUK PAKAM I,II").
        assertThat(tree.name(tree.index("35.13.15.2017"))).isEqualTo("SOKA\"AN");
        assertThat(tree.name(tree.index("12.07.28.1007"))).isEqualTo("LUBUK PAKAM I,II");
    }

    // ---- (b) bad lines ----

    private static final String HEADER = "code,parent_code,level,name,tps_numbers,tps_dpt\n";
    private static final String GOOD = HEADER
            + "11,,provinsi,ACEH,,\n"                                        // line 2
            + "11.01,11,kabupaten_kota,SIMEULUE,,\n"                         // line 3
            + "11.01.01,11.01,kecamatan,TEUPAH SELATAN,,\n"                  // line 4
            + "11.01.01.2001,11.01.01,kelurahan_desa,LATIUNG,1-2,200 150\n"; // line 5

    @Test
    void aGoodFileWithDptReads() throws Exception {
        List<Region> rows = read(GOOD);
        assertThat(rows).containsExactly(
                new Region("11", "", "provinsi", "ACEH", 0),
                new Region("11.01", "11", "kabupaten_kota", "SIMEULUE", 0),
                new Region("11.01.01", "11.01", "kecamatan", "TEUPAH SELATAN", 0),
                new Region("11.01.01.2001", "11.01.01", "kelurahan_desa", "LATIUNG", 0),
                new Region("11.01.01.2001.001", "11.01.01.2001", RegionTree.TPS_LEVEL, "TPS 1", 200),
                new Region("11.01.01.2001.002", "11.01.01.2001", RegionTree.TPS_LEVEL, "TPS 2", 150));
    }

    @Test
    void everyBadLineIsReportedByItsNumber() {
        String text = GOOD
                + "11.01.01.2002,11.01.01,kelurahan_desa,TOO FEW FIELDS,1-2\n"      // line 6: 5 fields for 6
                + "11.01.01.2003,11.01.01,kelurahan_desa,BACKWARDS,5-3,\n"          // line 7: range ends first
                + "11.01.01.2001,11.01.01,kelurahan_desa,AGAIN,1,100\n"             // line 8: code of line 5
                + "11.01.01.2005,11.01.01,kelurahan_desa,\"UNCLOSED,1,100\n"        // line 9: quote not closed
                + "11.01.01.2006,11.01.01,kelurahan_desa,MISMATCH,1-3,100 200\n";   // line 10: 2 DPT for 3 TPS
        InvalidInputException e = refusal(text);
        assertThat(e.errors()).extracting(InputError::line).containsExactly(6, 7, 8, 9, 10);
        assertThat(e.errors().get(0).message()).contains("6 fields").contains("5");
        assertThat(e.errors().get(1).message()).contains("5-3");
        assertThat(e.errors().get(2).message()).contains("11.01.01.2001").contains("line 5");
        assertThat(e.errors().get(3).message()).contains("quote");
        assertThat(e.errors().get(4).message()).contains("tps_dpt").contains("2").contains("3");
    }

    @Test
    void anUnknownParentIsReportedOnItsLine() {
        String text = GOOD + "11.01.01.2004,11.01.09,kelurahan_desa,ORPHAN,1,100\n"; // line 6
        InvalidInputException e = refusal(text);
        assertThat(e.errors()).extracting(InputError::line).containsExactly(6);
        assertThat(e.errors().getFirst().message()).contains("11.01.09");
    }

    @Test
    void anUnknownParentIsReportedAlongWithOtherBadLines() {
        // "Reading is all or nothing: every bad line is reported with its number."
        String text = GOOD
                + "11.01.01.2002,11.01.01,kelurahan_desa,TOO FEW FIELDS,1-2\n"      // line 6: 5 fields for 6
                + "11.01.01.2003,11.01.01,kelurahan_desa,BACKWARDS,5-3,\n"          // line 7: range ends first
                + "11.01.01.2001,11.01.01,kelurahan_desa,AGAIN,1,100\n"             // line 8: code of line 5
                + "11.01.01.2004,11.01.09,kelurahan_desa,ORPHAN,1,100\n"            // line 9: no region 11.01.09
                + "11.01.01.2005,11.01.01,kelurahan_desa,\"UNCLOSED,1,100\n"        // line 10: quote not closed
                + "11.01.01.2006,11.01.01,kelurahan_desa,MISMATCH,1-3,100 200\n";   // line 11: 2 DPT for 3 TPS
        assertThat(errorLines(text)).containsExactly(6, 7, 8, 9, 10, 11);
    }

    @Test
    void aBadHeaderIsAnErrorOnLineOne() {
        InvalidInputException e = refusal("code,parent,level,name,tps\n11,,provinsi,ACEH,\n");
        assertThat(e.errors()).extracting(InputError::line).containsExactly(1);
        assertThat(e.errors().getFirst().message()).contains(RegionCsv.HEADER);
        assertThat(errorLines("")).containsExactly(1);
    }

    @Test
    void aBadDptValueIsReported() {
        String text = GOOD + "11.01.01.2002,11.01.01,kelurahan_desa,NEGATIVE,1-2,100 -1\n"  // line 6
                + "11.01.01.2003,11.01.01,kelurahan_desa,WORD,1,many\n";                   // line 7
        assertThat(errorLines(text)).containsExactly(6, 7);
    }

    @Test
    void aHeaderWithoutRegionsIsRefused() {
        assertThat(refusal(RegionCsv.HEADER + "\n").errors()).isNotEmpty();
    }

    // ---- (c) quoting ----

    @Test
    void quotedNamesKeepCommasAndDoubledQuotes() throws Exception {
        String text = RegionCsv.HEADER + "\n"
                + "35,,provinsi,JAWA TIMUR,\n"
                + "35.13,35,kabupaten_kota,\"KAB. PROBOLINGGO, JATIM\",\n"
                + "35.13.15,35.13,kecamatan,\"\"\"KRAKSAAN\"\"\",\n"
                + "35.13.15.2017,35.13.15,kelurahan_desa,\"SOKA\"\"AN\",1-11\n";
        List<Region> rows = read(text);
        assertThat(rows.get(1).name()).isEqualTo("KAB. PROBOLINGGO, JATIM");
        assertThat(rows.get(2).name()).isEqualTo("\"KRAKSAAN\"");
        assertThat(rows.get(3).name()).isEqualTo("SOKA\"AN");
        assertThat(rows).hasSize(4 + 11);

        StringWriter out = new StringWriter();
        RegionCsv.write(RegionTree.of("INDONESIA", rows), out, false);
        assertThat(out.toString()).contains("\n35.13.15.2017,35.13.15,kelurahan_desa,\"SOKA\"\"AN\",1-11\n")
                .contains("\n35.13,35,kabupaten_kota,\"KAB. PROBOLINGGO, JATIM\",\n");
    }

    @Test
    void textAfterAClosingQuoteIsRefused() {
        assertThat(errorLines(RegionCsv.HEADER + "\n35,,provinsi,\"JAWA\" TIMUR,\n")).containsExactly(2);
    }

    // ---- (d) round trip ----

    @Test
    void writeThenReadGivesTheSameRowsWithDpt() throws Exception {
        // Rows in the order the writer emits them: regions in pre-order, each village followed by its TPS.
        List<Region> rows = List.of(
                new Region("11", "", "provinsi", "ACEH", 0),
                new Region("11.01", "11", "kabupaten_kota", "KAB. SIMEULUE", 0),
                new Region("11.01.01", "11.01", "kecamatan", "TEUPAH, SELATAN", 0),
                new Region("11.01.01.2001", "11.01.01", "kelurahan_desa", "SOKA\"AN", 0),
                new Region("11.01.01.2001.001", "11.01.01.2001", RegionTree.TPS_LEVEL, "TPS 1", 300),
                new Region("11.01.01.2001.002", "11.01.01.2001", RegionTree.TPS_LEVEL, "TPS 2", 0),
                new Region("11.01.01.2001.901", "11.01.01.2001", RegionTree.TPS_LEVEL, "TPS 901", 17),
                new Region("11.01.01.2002", "11.01.01", "kelurahan_desa", "KOSONG", 0),
                new Region("99", "", "luar_negeri", "LUAR NEGERI", 0),
                new Region("99.01", "99", "ppln", "KUALA LUMPUR", 0),
                new Region("99.01.001", "99.01", RegionTree.TPS_LEVEL, "TPS 1", 250));
        StringWriter out = new StringWriter();
        RegionCsv.write(RegionTree.of("INDONESIA", rows), out, true);
        assertThat(out.toString()).startsWith(RegionCsv.HEADER_WITH_DPT + "\n")
                .contains("\n11.01.01.2001,11.01.01,kelurahan_desa,\"SOKA\"\"AN\",1-2 901-901,300 0 17\n");
        assertThat(read(out.toString())).containsExactlyElementsOf(rows);
    }
}
