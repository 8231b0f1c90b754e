package org.rekap.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rekap.contest.Candidate;
import org.rekap.contest.Choice;
import org.rekap.contest.Contest;
import org.rekap.contest.ContestKind;
import org.rekap.ledger.LogEntry;
import org.rekap.region.Region;
import org.rekap.region.RegionTree;

/** The embedded store on a real SQLite file: set-up round trip, a gapless append-only log, durability on reopen. */
class SqliteStoreTest {
    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("data").resolve("rekap.db");
    }

    private static Region tps(String parent, int number, int dpt) {
        return new Region(parent + "." + String.format("%03d", number), parent, RegionTree.TPS_LEVEL, "TPS " + number, dpt);
    }

    /** Regions in pre-order, each followed by its own TPS in number order, as the store gives them back. */
    private static Setup setup() {
        List<Region> regions = List.of(
                new Region("11", "", "provinsi", "ACEH", 0),
                new Region("11.01", "11", "kabupaten_kota", "KAB. SIMEULUE", 0),
                new Region("11.01.01", "11.01", "kecamatan", "TEUPAH SELATAN", 0),
                new Region("11.01.01.2001", "11.01.01", "kelurahan_desa", "SOKA\"AN, I", 0),
                tps("11.01.01.2001", 1, 300), tps("11.01.01.2001", 2, 0), tps("11.01.01.2001", 901, 17),
                new Region("11.01.01.2002", "11.01.01", "kelurahan_desa", "KOSONG", 0),
                new Region("99", "", "luar_negeri", "LUAR NEGERI", 0),
                new Region("99.01", "99", "ppln", "KUALA LUMPUR", 0),
                tps("99.01", 1, 250));
        List<Contest> contests = List.of(
                new Contest("ppwp", ContestKind.PPWP, "Presiden dan Wakil Presiden", List.of("0"), List.of(
                        new Choice(1, "Pasangan 1", List.of()), new Choice(2, "Pasangan 2", List.of()),
                        new Choice(3, "Pasangan 3", List.of()))),
                new Contest("dpd-11", ContestKind.DPD, "DPD Aceh", List.of("11"), List.of(
                        new Choice(1, "Calon A", List.of()), new Choice(2, "Calon B", List.of()))),
                new Contest("dpr-11-1", ContestKind.DPR, "DPR Aceh I", List.of("11.01", "99"), List.of(
                        new Choice(1, "PARTAI SATU", List.of(new Candidate(1, "Ani"), new Candidate(2, "Budi"))),
                        new Choice(2, "PARTAI DUA", List.of(new Candidate(1, "Citra"))))));
        return new Setup("Pemilu 2024", "INDONESIA", regions, contests);
    }

    private static List<byte[]> entries(String... texts) {
        List<byte[]> out = new ArrayList<>();
        for (String t : texts) out.add(t.getBytes(StandardCharsets.UTF_8));
        return out;
    }

    private static List<String> read(ElectionStore store, long from, long to) {
        List<String> out = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        store.readLog(from, to, e -> {
            seqs.add(e.seq());
            out.add(e.seq() + ":" + new String(e.bytes(), StandardCharsets.UTF_8));
        });
        for (int k = 1; k < seqs.size(); k++) assertThat(seqs.get(k)).isEqualTo(seqs.get(k - 1) + 1);
        return out;
    }

    @Test
    void aNewStoreIsEmpty() {
        try (SqliteStore store = SqliteStore.open(db())) {
            assertThat(store.loadSetup()).isEmpty();
            assertThat(store.logSize()).isZero();
            assertThat(read(store, 0, 10)).isEmpty();
        }
    }

    @Test
    void theSetupReadsBackAsSaved() {
        Setup setup = setup();
        try (SqliteStore store = SqliteStore.open(db())) {
            store.saveSetup(setup);
            Setup loaded = store.loadSetup().orElseThrow();
            assertThat(loaded).isEqualTo(setup);
            assertThat(loaded.regions()).contains(tps("11.01.01.2001", 901, 17));
            // The loaded set-up builds the election: 7 regions + the root, 4 TPS, DPT 300 + 0 + 17 + 250 = 567.
            RegionTree tree = loaded.election().tree();
            assertThat(tree.regionCount()).isEqualTo(8);
            assertThat(tree.tpsCount()).isEqualTo(4);
            assertThat(tree.dptTotal(RegionTree.ROOT)).isEqualTo(567);
            assertThat(loaded.election().contest("dpr-11-1").choices().get(0).candidates())
                    .containsExactly(new Candidate(1, "Ani"), new Candidate(2, "Budi"));
        }
    }

    @Test
    void savingASetupAgainReplacesTheFirst() {
        Setup first = setup();
        Setup second = new Setup("Pilkada 2024", "ACEH", List.of(new Region("11", "", "provinsi", "ACEH", 0),
                tps("11", 1, 5)), List.of(new Contest("pilkada-11", ContestKind.PILKADA, "Gubernur", List.of("0"),
                List.of(new Choice(1, "Pasangan 1", List.of())))));
        try (SqliteStore store = SqliteStore.open(db())) {
            store.saveSetup(first);
            store.saveSetup(second);
            assertThat(store.loadSetup()).contains(second);
        }
    }

    @Test
    void appendsGetGaplessSequenceNumbersAcrossBatches() {
        try (SqliteStore store = SqliteStore.open(db())) {
            assertThat(store.append(entries("a", "b", "c"))).isZero();      // 0, 1, 2
            assertThat(store.append(entries("d"))).isEqualTo(3);            // 3
            assertThat(store.append(entries("e", "f"))).isEqualTo(4);       // 4, 5
            assertThat(store.logSize()).isEqualTo(6);
            assertThat(read(store, 0, 6)).containsExactly("0:a", "1:b", "2:c", "3:d", "4:e", "5:f");
        }
    }

    @Test
    void readLogGivesTheHalfOpenRange() {
        try (SqliteStore store = SqliteStore.open(db())) {
            store.append(entries("a", "b", "c", "d", "e"));
            assertThat(read(store, 1, 4)).containsExactly("1:b", "2:c", "3:d");
            assertThat(read(store, 3, 100)).containsExactly("3:d", "4:e");
            assertThat(read(store, 2, 2)).isEmpty();
            assertThat(read(store, 5, 9)).isEmpty();
        }
    }

    @Test
    void entryBytesAreKeptExactly() {
        byte[] binary = {0, (byte) 0xFF, 0x7B, 0x0A, (byte) 0xC3, (byte) 0xA9};
        try (SqliteStore store = SqliteStore.open(db())) {
            store.append(List.of(binary));
            List<LogEntry> got = new ArrayList<>();
            store.readLog(0, 1, got::add);
            assertThat(got).singleElement().satisfies(e -> {
                assertThat(e.seq()).isZero();
                assertThat(e.bytes()).containsExactly(binary);
            });
        }
    }

    @Test
    void everythingSurvivesCloseAndReopen() {
        try (SqliteStore store = SqliteStore.open(db())) {
            store.saveSetup(setup());
            store.append(entries("a", "b"));
            store.append(entries("c"));
        }
        try (SqliteStore store = SqliteStore.open(db())) {
            assertThat(store.logSize()).isEqualTo(3);
            assertThat(store.loadSetup()).contains(setup());
            assertThat(read(store, 0, 3)).containsExactly("0:a", "1:b", "2:c");
            // Numbering continues where it stopped.
            assertThat(store.append(entries("d"))).isEqualTo(3);
        }
        try (SqliteStore store = SqliteStore.open(db())) {
            assertThat(read(store, 0, 10)).containsExactly("0:a", "1:b", "2:c", "3:d");
        }
    }

    @Test
    void savingASetupOnceTheLogHasEntriesIsRefusedAndChangesNothing() {
        Setup other = new Setup("Lain", "X", List.of(new Region("12", "", "provinsi", "SUMATERA UTARA", 0)), List.of(
                new Contest("ppwp", ContestKind.PPWP, "P", List.of("0"), List.of(new Choice(1, "A", List.of())))));
        try (SqliteStore store = SqliteStore.open(db())) {
            store.saveSetup(setup());
            store.append(entries("a"));
            assertThatThrownBy(() -> store.saveSetup(other)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("1 entries");
            assertThat(store.loadSetup()).contains(setup());
            assertThat(store.logSize()).isEqualTo(1);
        }
        try (SqliteStore store = SqliteStore.open(db())) {
            assertThat(store.loadSetup()).contains(setup());
            assertThatThrownBy(() -> store.saveSetup(other)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void theLogTableRefusesUpdateAndDelete() throws Exception {
        try (SqliteStore store = SqliteStore.open(db())) {
            store.append(entries("a", "b"));
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + db().toAbsolutePath());
                Statement st = raw.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE log_entry SET body = x'00' WHERE seq = 0"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("log entries are append-only");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM log_entry WHERE seq = 1"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("log entries are append-only");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM log_entry"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("log entries are append-only");
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*), MIN(seq), MAX(seq) FROM log_entry")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(2);
                assertThat(rs.getLong(2)).isZero();
                assertThat(rs.getLong(3)).isEqualTo(1);
            }
        }
        try (SqliteStore store = SqliteStore.open(db())) {
            assertThat(read(store, 0, 2)).containsExactly("0:a", "1:b");
        }
    }

    @Test
    void aCodeIsSpentOnceButTheDeviceThatSpentItMayPresentItAgain() {
        byte[] code = "code-1".getBytes(StandardCharsets.UTF_8), old = "code-2".getBytes(StandardCharsets.UTF_8);
        java.time.Instant now = java.time.Instant.parse("2024-02-14T08:00:00Z");
        try (SqliteStore store = SqliteStore.open(db())) {
            store.issueCodes(List.of(new EnrolmentCode(code, org.rekap.ledger.Role.OFFICER, "11.01.01.2001.001", now.plusSeconds(60)),
                    new EnrolmentCode(old, org.rekap.ledger.Role.OFFICER, "11.01.01.2001.002", now.minusSeconds(1))));
            assertThat(store.useCode(code, "phone-a", now)).isEqualTo(new CodeUse(org.rekap.ledger.Role.OFFICER, "11.01.01.2001.001", null));
            assertThat(store.useCode(code, "phone-b", now).refusal()).isEqualTo("used");
            assertThat(store.useCode(old, "phone-a", now).refusal()).isEqualTo("expired");
        }
        // After a crash (the code spent, the enrolment not logged) the same phone retries, even once the code expired.
        try (SqliteStore store = SqliteStore.open(db())) {
            assertThat(store.useCode(code, "phone-a", now.plusSeconds(3600)).ok()).isTrue();
            assertThat(store.useCode(code, "phone-b", now).refusal()).isEqualTo("used");
            assertThat(store.useCode("nope".getBytes(StandardCharsets.UTF_8), "phone-a", now).refusal()).isEqualTo("unknown");
        }
    }
}
