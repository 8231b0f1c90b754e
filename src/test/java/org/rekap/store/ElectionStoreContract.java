package org.rekap.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.rekap.contest.Candidate;
import org.rekap.contest.Choice;
import org.rekap.contest.Contest;
import org.rekap.contest.ContestKind;
import org.rekap.ledger.LogEntry;
import org.rekap.ledger.Role;
import org.rekap.ledger.StoredHash;
import org.rekap.region.Region;
import org.rekap.region.RegionTree;

/**
 * What every {@link ElectionStore} promises, run against each real store (SQLite file, PostgreSQL schema): set-up
 * round trip, a gapless append-only log written all or nothing with its tree hashes, streaming reads that do not
 * hold up the writer, single-use enrolment codes under concurrency, and everything intact after a reopen.
 */
abstract class ElectionStoreContract {
    /** Opens the store under test; within one test every call reaches the same storage, so a second call reopens it. */
    abstract ElectionStore open();

    /** A plain JDBC connection to the same storage, past the store, to see what the tables themselves allow. */
    abstract Connection rawConnection() throws SQLException;

    private static Region tps(String parent, int number, int dpt) {
        return new Region(parent + "." + String.format("%03d", number), parent, RegionTree.TPS_LEVEL, "TPS " + number, dpt);
    }

    /** Regions in pre-order, each followed by its own TPS in number order, as the store gives them back. */
    static Setup setup() {
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

    static List<byte[]> entries(String... texts) {
        List<byte[]> out = new ArrayList<>();
        for (String t : texts) out.add(t.getBytes(StandardCharsets.UTF_8));
        return out;
    }

    static List<String> read(ElectionStore store, long from, long to) {
        List<String> out = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        store.readLog(from, to, e -> {
            seqs.add(e.seq());
            out.add(e.seq() + ":" + new String(e.bytes(), StandardCharsets.UTF_8));
        });
        for (int k = 1; k < seqs.size(); k++) assertThat(seqs.get(k)).isEqualTo(seqs.get(k - 1) + 1);
        return out;
    }

    private static List<String> hashes(ElectionStore store) {
        List<String> out = new ArrayList<>();
        store.readHashes(h -> out.add(h.level() + "/" + h.index() + "=" + h.hash()[0]));
        return out;
    }

    static StoredHash hash(int level, long index, int fill) {
        byte[] h = new byte[32];
        java.util.Arrays.fill(h, (byte) fill);
        return new StoredHash(level, index, h);
    }

    private static byte[] sha256(String code) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static final Instant NOW = Instant.parse("2024-02-14T07:00:00Z");

    private static EnrolmentCode code(String code, String scope, Instant expires) {
        return new EnrolmentCode(sha256(code), Role.OFFICER, scope, expires);
    }

    @Test
    void aNewStoreIsEmpty() {
        try (ElectionStore store = open()) {
            assertThat(store.loadSetup()).isEmpty();
            assertThat(store.logSize()).isZero();
            assertThat(read(store, 0, 10)).isEmpty();
            assertThat(hashes(store)).isEmpty();
        }
    }

    @Test
    void theSetupReadsBackAsSaved() {
        Setup setup = setup();
        try (ElectionStore store = open()) {
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
        try (ElectionStore store = open()) {
            store.saveSetup(first);
            store.saveSetup(second);
            assertThat(store.loadSetup()).contains(second);
        }
    }

    @Test
    void appendsGetGaplessSequenceNumbersAcrossBatches() {
        try (ElectionStore store = open()) {
            assertThat(store.append(entries("a", "b", "c"))).isZero();      // 0, 1, 2
            assertThat(store.append(entries("d"))).isEqualTo(3);            // 3
            assertThat(store.append(entries("e", "f"))).isEqualTo(4);       // 4, 5
            assertThat(store.logSize()).isEqualTo(6);
            assertThat(read(store, 0, 6)).containsExactly("0:a", "1:b", "2:c", "3:d", "4:e", "5:f");
        }
    }

    @Test
    void readLogGivesTheHalfOpenRange() {
        try (ElectionStore store = open()) {
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
        try (ElectionStore store = open()) {
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
    void treeHashesAreKeptWithTheirEntriesAndReadBackLevelByLevel() {
        try (ElectionStore store = open()) {
            store.append(entries("a", "b"), List.of(hash(0, 0, 1), hash(0, 1, 2), hash(1, 0, 3)));
            store.append(entries("c"), List.of(hash(0, 2, 4)));
            store.appendHashes(List.of(hash(2, 0, 5), hash(0, 3, 6)));
            assertThat(hashes(store)).containsExactly("0/0=1", "0/1=2", "0/2=4", "0/3=6", "1/0=3", "2/0=5");
        }
    }

    @Test
    void aFailingAppendLeavesNothingBehindAndNumberingContinues() {
        try (ElectionStore store = open()) {
            store.append(entries("a"), List.of(hash(0, 0, 1)));
            // The second hash collides with a stored one, after the entries were inserted: the whole batch goes.
            assertThatThrownBy(() -> store.append(entries("b", "c"), List.of(hash(0, 1, 2), hash(0, 0, 9))))
                    .isInstanceOf(StoreException.class).hasMessageContaining("cannot append to the log");
            assertThat(store.logSize()).isEqualTo(1);
            assertThat(read(store, 0, 10)).containsExactly("0:a");
            assertThat(hashes(store)).containsExactly("0/0=1");
            assertThat(store.append(entries("b"), List.of(hash(0, 1, 2)))).isEqualTo(1);
        }
        try (ElectionStore store = open()) {
            assertThat(store.logSize()).isEqualTo(2);
            assertThat(read(store, 0, 10)).containsExactly("0:a", "1:b");
            assertThat(hashes(store)).containsExactly("0/0=1", "0/1=2");
        }
    }

    @Test
    void everythingSurvivesCloseAndReopen() {
        try (ElectionStore store = open()) {
            store.saveSetup(setup());
            store.append(entries("a", "b"), List.of(hash(0, 0, 1), hash(0, 1, 2), hash(1, 0, 3)));
            store.append(entries("c"));
            store.issueCodes(List.of(code("used", "11.01.01.2001.001", NOW.plusSeconds(60)),
                    code("fresh", "11.01.01.2001.002", NOW.plusSeconds(60))));
            assertThat(store.useCode(sha256("used"), "dev-1", NOW).ok()).isTrue();
        }
        try (ElectionStore store = open()) {
            assertThat(store.logSize()).isEqualTo(3);
            assertThat(store.loadSetup()).contains(setup());
            assertThat(read(store, 0, 3)).containsExactly("0:a", "1:b", "2:c");
            assertThat(hashes(store)).containsExactly("0/0=1", "0/1=2", "1/0=3");
            assertThat(store.useCode(sha256("used"), "dev-2", NOW).refusal()).isEqualTo("used");
            // Numbering continues where it stopped.
            assertThat(store.append(entries("d"))).isEqualTo(3);
        }
        try (ElectionStore store = open()) {
            assertThat(read(store, 0, 10)).containsExactly("0:a", "1:b", "2:c", "3:d");
            assertThat(store.useCode(sha256("fresh"), "dev-1", NOW)).isEqualTo(new CodeUse(Role.OFFICER, "11.01.01.2001.002", null));
        }
    }

    @Test
    void savingASetupOnceTheLogHasEntriesIsRefusedAndChangesNothing() {
        Setup other = new Setup("Lain", "X", List.of(new Region("12", "", "provinsi", "SUMATERA UTARA", 0)), List.of(
                new Contest("ppwp", ContestKind.PPWP, "P", List.of("0"), List.of(new Choice(1, "A", List.of())))));
        try (ElectionStore store = open()) {
            store.saveSetup(setup());
            store.append(entries("a"));
            assertThatThrownBy(() -> store.saveSetup(other)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("1 entries");
            assertThat(store.loadSetup()).contains(setup());
            assertThat(store.logSize()).isEqualTo(1);
        }
        try (ElectionStore store = open()) {
            assertThat(store.loadSetup()).contains(setup());
            assertThatThrownBy(() -> store.saveSetup(other)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aCodeEnrolsOnceUntilItExpiresAndAReissueReplacesTheUnusedOne() {
        try (ElectionStore store = open()) {
            store.issueCodes(List.of(code("k1", "11.01.01.2001.001", NOW.plusSeconds(60)),
                    code("k2", "11.01.01.2001.002", NOW.plusSeconds(60)),
                    code("late", "99.01.001", NOW)));
            assertThat(store.useCode(sha256("nope"), "dev-1", NOW)).isEqualTo(CodeUse.refused("unknown"));
            assertThat(store.useCode(sha256("late"), "dev-1", NOW)).isEqualTo(CodeUse.refused("expired"));
            assertThat(store.useCode(sha256("k1"), "dev-1", NOW)).isEqualTo(new CodeUse(Role.OFFICER, "11.01.01.2001.001", null));
            assertThat(store.useCode(sha256("k1"), "dev-2", NOW)).isEqualTo(CodeUse.refused("used"));
            // A reprinted code for TPS 002 makes the lost one stop working; the used code of 001 stays used.
            store.issueCodes(List.of(code("k2-again", "11.01.01.2001.002", NOW.plusSeconds(60)),
                    code("k1-again", "11.01.01.2001.001", NOW.plusSeconds(60))));
            assertThat(store.useCode(sha256("k2"), "dev-1", NOW)).isEqualTo(CodeUse.refused("expired"));
            assertThat(store.useCode(sha256("k1"), "dev-2", NOW)).isEqualTo(CodeUse.refused("used"));
            assertThat(store.useCode(sha256("k2-again"), "dev-1", NOW).ok()).isTrue();
            assertThat(store.useCode(sha256("k1-again"), "dev-1", NOW.plusSeconds(60))).isEqualTo(CodeUse.refused("expired"));
        }
    }

    @Test
    void ofManyThreadsPresentingTheSameCodeExactlyOneEnrols() throws Exception {
        int codes = 20, threads = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (ElectionStore store = open()) {
            List<EnrolmentCode> issued = new ArrayList<>();
            for (int i = 0; i < codes; i++) issued.add(code("c" + i, "tps-" + i, NOW.plusSeconds(60)));
            store.issueCodes(issued);
            for (int i = 0; i < codes; i++) {
                byte[] h = sha256("c" + i);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<CodeUse>> uses = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String device = "dev-" + t; // each caller its own phone
                    uses.add(pool.submit(() -> {
                        start.await();
                        return store.useCode(h, device, NOW);
                    }));
                }
                start.countDown();
                List<CodeUse> got = new ArrayList<>();
                for (Future<CodeUse> f : uses) got.add(f.get(30, TimeUnit.SECONDS));
                assertThat(got).filteredOn(CodeUse::ok).as("code " + i).singleElement()
                        .isEqualTo(new CodeUse(Role.OFFICER, "tps-" + i, null));
                assertThat(got).filteredOn(u -> !u.ok()).as("code " + i).hasSize(threads - 1)
                        .allSatisfy(u -> assertThat(u.refusal()).isEqualTo("used"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLongLogIsReadAsAStreamNotLoadedWhole() {
        int n = 200_000, batch = 5_000, bodySize = 200;
        try (ElectionStore store = open()) {
            for (int i = 0; i < n; i += batch) {
                List<byte[]> chunk = new ArrayList<>(batch);
                for (int k = i; k < i + batch; k++) chunk.add(body(k, bodySize));
                store.append(chunk);
            }
            assertThat(store.logSize()).isEqualTo(n);
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            AtomicLong atFirst = new AtomicLong(-1), count = new AtomicLong();
            store.readLog(0, n, e -> {
                if (atFirst.get() < 0) atFirst.set(threads.getCurrentThreadAllocatedBytes() - before);
                assertThat(e.seq()).isEqualTo(count.get());
                if (e.seq() % 9_973 == 0) assertThat(e.bytes()).isEqualTo(body(e.seq(), bodySize));
                count.incrementAndGet();
            });
            assertThat(count.get()).isEqualTo(n);
            // The first entry arrives before more than a small part of the 40 MB log was even allocated for: the
            // rows come in slices, not as one result held in memory.
            assertThat(atFirst.get()).as("bytes allocated before the first entry").isLessThan(n * (long) bodySize / 10);
        }
    }

    private static byte[] body(long seq, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) (seq * 31 + i);
        return b;
    }

    @Test
    void aSlowReaderDoesNotHoldUpAppends() throws Exception {
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (ElectionStore store = open()) {
            List<byte[]> first = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) first.add(body(i, 50));
            store.append(first);
            CountDownLatch paused = new CountDownLatch(1), resume = new CountDownLatch(1);
            Future<Long> read = reader.submit(() -> {
                AtomicLong seen = new AtomicLong();
                store.readLog(0, 10_000, e -> {
                    if (seen.incrementAndGet() == 5_000) {
                        paused.countDown();
                        try {
                            assertThat(resume.await(30, TimeUnit.SECONDS)).isTrue();
                        } catch (InterruptedException x) {
                            throw new AssertionError(x);
                        }
                    }
                });
                return seen.get();
            });
            assertThat(paused.await(30, TimeUnit.SECONDS)).as("the reader reached the middle of the log").isTrue();
            // While the reader is stopped half-way through, appends still commit.
            assertThat(store.append(entries("x", "y"))).isEqualTo(10_000);
            assertThat(store.append(entries("z"))).isEqualTo(10_002);
            resume.countDown();
            assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(10_000);
            assertThat(read(store, 10_000, 10_010)).containsExactly("10000:x", "10001:y", "10002:z");
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void theLogAndHashTablesRefuseUpdateAndDelete() throws Exception {
        try (ElectionStore store = open()) {
            store.append(entries("a", "b"), List.of(hash(0, 0, 1), hash(0, 1, 2)));
        }
        try (Connection raw = rawConnection(); Statement st = raw.createStatement()) {
            raw.setAutoCommit(true);
            assertThatThrownBy(() -> st.executeUpdate("UPDATE log_entry SET seq = 7 WHERE seq = 0"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("log entries are append-only");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM log_entry WHERE seq = 1"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("log entries are append-only");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM log_entry"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("log entries are append-only");
            assertThatThrownBy(() -> st.executeUpdate("UPDATE tree_hash SET idx = 5 WHERE level = 0"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("tree hashes are append-only");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM tree_hash"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("tree hashes are append-only");
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*), MIN(seq), MAX(seq) FROM log_entry")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(2);
                assertThat(rs.getLong(2)).isZero();
                assertThat(rs.getLong(3)).isEqualTo(1);
            }
        }
        try (ElectionStore store = open()) {
            assertThat(read(store, 0, 2)).containsExactly("0:a", "1:b");
            assertThat(hashes(store)).containsExactly("0/0=1", "0/1=2");
        }
    }

    @Test
    void aCodeIsSpentOnceButTheDeviceThatSpentItMayPresentItAgain() {
        byte[] code = "code-1".getBytes(java.nio.charset.StandardCharsets.UTF_8), old = "code-2".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.time.Instant now = java.time.Instant.parse("2024-02-14T08:00:00Z");
        try (ElectionStore store = open()) {
            store.issueCodes(List.of(new EnrolmentCode(code, org.rekap.ledger.Role.OFFICER, "11.01.01.2001.001", now.plusSeconds(60)),
                    new EnrolmentCode(old, org.rekap.ledger.Role.OFFICER, "11.01.01.2001.002", now.minusSeconds(1))));
            assertThat(store.useCode(code, "phone-a", now)).isEqualTo(new CodeUse(org.rekap.ledger.Role.OFFICER, "11.01.01.2001.001", null));
            assertThat(store.useCode(code, "phone-b", now).refusal()).isEqualTo("used");
            assertThat(store.useCode(old, "phone-a", now).refusal()).isEqualTo("expired");
        }
        // After a crash (the code spent, the enrolment not logged) the same phone retries, even once the code expired.
        try (ElectionStore store = open()) {
            assertThat(store.useCode(code, "phone-a", now.plusSeconds(3600)).ok()).isTrue();
            assertThat(store.useCode(code, "phone-b", now).refusal()).isEqualTo("used");
            assertThat(store.useCode("nope".getBytes(java.nio.charset.StandardCharsets.UTF_8), "phone-a", now).refusal()).isEqualTo("unknown");
        }
    }
}
