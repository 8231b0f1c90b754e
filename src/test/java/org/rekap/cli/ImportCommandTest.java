package org.rekap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rekap.region.RegionTree;
import org.rekap.store.Setup;
import org.rekap.store.SqliteStore;

/** {@code rekap import} end to end: files in, a store out, or a refusal naming lines and nothing stored. */
class ImportCommandTest {
    static final Path SHARED = Path.of(System.getProperty("rekap.sharedData", "../shared/data"));
    static final Path CONTESTS = Path.of("examples/contests-ppwp-2024.json");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            return Main.commandLine().execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void theRealWilayahFileImportsAsItIs() {
        Path data = dir.resolve("real");
        int code = run("import", "--data", data.toString(), "--regions", SHARED.resolve("wilayah-2024.csv").toString(),
                "--contests", CONTESTS.toString());
        assertThat(code).as(err.toString()).isZero();
        try (SqliteStore store = SqliteStore.open(data.resolve("rekap.db"))) {
            Setup setup = store.loadSetup().orElseThrow();
            RegionTree tree = RegionTree.of(setup.rootName(), setup.regions());
            assertThat(tree.levelCounts()).containsEntry("provinsi", 38).containsEntry("kabupaten_kota", 514)
                    .containsEntry("kecamatan", 7_277).containsEntry("kelurahan_desa", 83_731)
                    .containsEntry("tps", 820_161);
            assertThat(tree.regionCount() - 1).isEqualTo(91_560);
            // 11.01.01.2001 is the first village of Aceh; its TPS come from the range in the file.
            assertThat(tree.index("11.01.01.2001.001")).isPositive();
            assertThat(setup.election().contest("ppwp").choices()).hasSize(3);
        }
        assertThat(out.toString()).contains("820,161");
    }

    @Test
    void badLinesAreReportedByNumberAndNothingIsImported() throws Exception {
        Path csv = dir.resolve("regions.csv");
        Files.writeString(csv, String.join("\n",
                "code,parent_code,level,name,tps_numbers",
                "11,,provinsi,ACEH,",
                "11.01,11,kabupaten_kota,ACEH SELATAN",          // line 3: four fields
                "11.01.01,11.01,kecamatan,BAKONGAN,",
                "11.01.01.2001,11.01.01,kelurahan_desa,KEUDE BAKONGAN,3-1", // line 5: backwards range
                "11.01.01.2002,11.01.09,kelurahan_desa,UJONG MANGKI,1-4",   // line 6: unknown parent
                "11.01.01.2003,11.01.01,kelurahan_desa,UJONG PADANG,1-2") + "\n");
        Path data = dir.resolve("bad");
        int code = run("import", "--data", data.toString(), "--regions", csv.toString(), "--contests", CONTESTS.toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains(csv + ":3: expected 5 fields, found 4")
                .contains(csv + ":5: tps_numbers: range '3-1' ends before it starts")
                .contains("nothing was imported");
        assertThat(Files.exists(data.resolve("rekap.db"))).isFalse();

        // With lines 3 and 5 fixed, the unknown parent on line 6 is what remains.
        Files.writeString(csv, Files.readString(csv).replace("ACEH SELATAN\n", "ACEH SELATAN,\n").replace(",3-1", ",1-3"));
        err.reset();
        assertThat(run("import", "--data", data.toString(), "--regions", csv.toString(), "--contests", CONTESTS.toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains(csv + ":6: parent_code 11.01.09 is not a region in this file");
        assertThat(Files.exists(data.resolve("rekap.db"))).isFalse();
    }

    @Test
    void importingOverAnElectionWithEntriesIsRefusedAndChangesNothing() throws Exception {
        Path csv = dir.resolve("regions.csv");
        Files.writeString(csv, "code,parent_code,level,name,tps_numbers\n11,,provinsi,ACEH,\n11.01,11,kabupaten_kota,X,1-2\n");
        Path data = dir.resolve("d");
        assertThat(run("import", "--data", data.toString(), "--regions", csv.toString(), "--contests", CONTESTS.toString())).isZero();
        try (SqliteStore store = SqliteStore.open(data.resolve("rekap.db"))) {
            store.append(java.util.List.of("{}".getBytes(StandardCharsets.UTF_8)));
        }
        Files.writeString(csv, "code,parent_code,level,name,tps_numbers\n12,,provinsi,SUMUT,1-5\n");
        assertThat(run("import", "--data", data.toString(), "--regions", csv.toString(), "--contests", CONTESTS.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("already has 1 entries");
        try (SqliteStore store = SqliteStore.open(data.resolve("rekap.db"))) {
            assertThat(store.loadSetup().orElseThrow().regions()).extracting(r -> r.code()).contains("11.01.001").doesNotContain("12");
        }
    }
}
