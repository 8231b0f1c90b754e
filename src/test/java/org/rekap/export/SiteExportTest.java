package org.rekap.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rekap.codec.EntryCodec;
import org.rekap.codec.SignedPayloads;
import org.rekap.contest.Contest;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.ledger.DeviceEnrolled;
import org.rekap.ledger.InMemoryHashStore;
import org.rekap.ledger.MerkleHash;
import org.rekap.ledger.MerkleTree;
import org.rekap.ledger.NoteSigner;
import org.rekap.ledger.Role;
import org.rekap.ledger.SheetSubmitted;
import org.rekap.region.RegionTree;
import org.rekap.simulate.SimOfficer;
import org.rekap.state.Restore;
import org.rekap.state.SavedState;
import org.rekap.state.StateSaver;
import org.rekap.store.ElectionStore;
import org.rekap.store.Setup;
import org.rekap.store.SqliteStore;
import org.rekap.verify.ProgressListener;

/**
 * How an export rebuilds its state, on a real SQLite file: from the server's saved state (only the log's tail
 * replayed) it writes exactly the files a replay of the whole log writes; an entry altered behind the log's back, even
 * one the saved state covers, stops it with the previous export left in place; a log that grows while it runs is
 * exported at the size it had when opened.
 */
class SiteExportTest {
    private static final SyntheticElection SMALL = SyntheticElection.of(Scale.SMALL, 3);
    private static final NoteSigner SIGNER = NoteSigner.generate("rekap.test/export", new SecureRandom());

    @TempDir
    Path dir;

    @Test
    void fromSavedStateItWritesTheSameFilesAsFromTheWholeLog() throws Exception {
        Path a = dir.resolve("a/rekap.db"), b = dir.resolve("b/rekap.db");
        try (SqliteStore store = SqliteStore.open(a)) {
            setUp(store);
            append(store, enrolmentsAndSheets(0, 40));
        }
        Files.createDirectories(b.getParent());
        Files.copy(a, b); // the same log, without saved state
        try (SqliteStore store = SqliteStore.open(a)) {
            assertThat(save(store)).isEqualTo(store.logSize());
        }
        List<byte[]> tail = enrolmentsAndSheets(40, 70);
        for (Path db : List.of(a, b))
            try (SqliteStore store = SqliteStore.open(db)) {
                append(store, tail.subList(0, tail.size()));
            }

        SiteExport.Result fromSaved, whole;
        try (SqliteStore store = SqliteStore.open(a)) {
            fromSaved = export(store, dir.resolve("www/a"));
            assertThat(fromSaved.fromSavedState()).isPositive().isLessThan(store.logSize());
            assertThat(fromSaved.logSize()).isEqualTo(store.logSize());
        }
        try (SqliteStore store = SqliteStore.open(b)) {
            whole = export(store, dir.resolve("www/b"));
            assertThat(whole.fromSavedState()).isEqualTo(-1);
        }
        Map<String, String> files = files(fromSaved.directory());
        assertThat(files).isEqualTo(files(whole.directory())).containsKeys("checkpoint", "api/v1/regions/0/ppwp.json",
                "api/v1/download/0/ppwp.csv", "api/v1/export.json");
        assertThat(files.keySet()).anyMatch(p -> p.startsWith("api/v1/tps/")).anyMatch(p -> p.startsWith("tile/entries/"));
    }

    @Test
    void anEntryAlteredBehindTheLogStopsTheExportAndTheLastOneStays() throws Exception {
        Path db = dir.resolve("data/rekap.db");
        Path site = dir.resolve("www/site");
        SiteExport.Result first;
        try (SqliteStore store = SqliteStore.open(db)) {
            setUp(store);
            append(store, enrolmentsAndSheets(0, 40));
            save(store);
            append(store, enrolmentsAndSheets(40, 50));
            first = export(store, site);
            assertThat(first.fromSavedState()).isPositive();
        }
        // An entry the saved state covers (so not replayed): only the check of every entry against its leaf hash sees it.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().execute("DROP TRIGGER log_entry_no_update");
            c.createStatement().execute("UPDATE log_entry SET body = replace(body, '\"cast\":', '\"cast\": ') WHERE seq ="
                    + " (SELECT max(seq) FROM log_entry WHERE seq < " + first.fromSavedState() + " AND body LIKE '%\"cast\":%')");
        }
        try (SqliteStore store = SqliteStore.open(db)) {
            assertThatThrownBy(() -> export(store, site)).isInstanceOf(ExportException.class)
                    .hasMessageContaining("does not match its tree hash").hasMessageContaining("restore it from a backup");
        }
        assertThat(site.toRealPath()).isEqualTo(first.directory().toRealPath());
        try (var left = Files.list(site.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("site",
                    first.directory().getFileName().toString());
        }
    }

    @Test
    void aLogThatGrowsMeanwhileIsExportedAtTheSizeItHadWhenOpened() throws Exception {
        Path db = dir.resolve("data/rekap.db");
        try (SqliteStore writer = SqliteStore.open(db)) {
            setUp(writer);
            append(writer, enrolmentsAndSheets(0, 40));
            save(writer);
            try (SqliteStore exporting = SqliteStore.open(db)) {
                long size = exporting.logSize();
                append(writer, enrolmentsAndSheets(40, 50)); // a server takes sheets while the export runs
                assertThat(writer.logSize()).isGreaterThan(size);
                SiteExport.Result r = export(exporting, dir.resolve("www/site"));
                assertThat(r.logSize()).isEqualTo(size);
                assertThat(Files.readString(r.directory().resolve("api/v1/election.json"))).contains("\"logSize\":" + size + ",");
                assertThat(Files.readString(r.directory().resolve("checkpoint")).lines().toList().get(1)).isEqualTo("" + size);
                assertThat(r.directory().resolve("tile/entries/000.p/" + (size % 256))).exists();
            }
        }
    }

    private static SiteExport.Result export(ElectionStore store, Path target) {
        return new SiteExport(store, SIGNER, target.resolveSibling("photos"), ProgressListener.NONE).export(target);
    }

    private static void setUp(ElectionStore store) {
        var s = SMALL.setup();
        store.saveSetup(new Setup(s.name(), s.rootName(), SMALL.regions(), s.contests()));
    }

    /** The enrolments of TPS [from, to) (counted from the first TPS), then each one's sheets (some of them held). */
    private static List<byte[]> enrolmentsAndSheets(int from, int to) {
        RegionTree tree = SMALL.tree();
        Instant at = Instant.parse("2024-02-14T06:00:00Z");
        List<byte[]> entries = new ArrayList<>();
        for (int t = tree.regionCount() + from; t < tree.regionCount() + to; t++) {
            SimOfficer o = SimOfficer.of(tree.code(t), "", 1);
            entries.add(EntryCodec.encode(new DeviceEnrolled(at, o.device(), o.publicKey(), Role.OFFICER, o.tps())));
            for (Contest c : SMALL.election().contestsAt(t)) {
                var sheet = SMALL.sheet(t, c);
                String id = "s-" + t + "-" + c.id();
                entries.add(EntryCodec.encode(new SheetSubmitted(id, at.plusSeconds(3600 + t), sheet, o.device(),
                        o.sign(SignedPayloads.sheet(id, sheet)))));
            }
        }
        return entries;
    }

    /** Appends entries with their tree hashes, as the server's log writer does. */
    private static void append(ElectionStore store, List<byte[]> entries) {
        InMemoryHashStore hashes = new InMemoryHashStore();
        store.readHashes(hashes::put);
        MerkleTree tree = new MerkleTree(hashes, store.logSize());
        store.append(entries, tree.hashesToAppend(entries.stream().map(MerkleHash::leaf).toList()));
    }

    /** Saves the derived state at the log's size, as a server does; returns that size. */
    private static long save(ElectionStore store) {
        Setup setup = store.loadSetup().orElseThrow();
        byte[] fingerprint = SavedState.fingerprint(setup.name(), setup.election());
        Restore.Result r = Restore.run(store, setup.election(), fingerprint);
        return new StateSaver(store, fingerprint, r.tally(), r.intake(), r.hashes(), r::tree, () -> null, -1).saveIfBehind(1);
    }

    /** Every file under a directory, by relative path, as hex of its bytes. */
    private static Map<String, String> files(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (var paths = Files.walk(root)) {
            for (Path p : paths.filter(Files::isRegularFile).toList())
                out.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(p)));
        }
        return out;
    }
}
