package org.rekap.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
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
import org.rekap.ledger.StoredHash;
import org.rekap.officer.Decision;
import org.rekap.publish.LogSigning;
import org.rekap.publish.Publisher;
import org.rekap.region.RegionTree;
import org.rekap.simulate.SimOfficer;
import org.rekap.store.ElectionStore;
import org.rekap.store.Setup;

/**
 * Restarting from saved state, on each real store: saved state is used when it belongs to the log (and the result
 * publishes the same bytes as a full replay), and ignored, with the reason, when it is stale, truncated, corrupted,
 * of another log or of another election; a full replay then gives the right state.
 */
abstract class RestoreContract {
    /** A new, empty store; each call a different one. */
    abstract ElectionStore freshStore();

    private static final SyntheticElection SMALL = SyntheticElection.of(Scale.SMALL, 1);
    private static final NoteSigner SIGNER = NoteSigner.generate("rekap.test/restore", new SecureRandom());

    /** A store with the set-up of {@code e} and a log of every officer's enrolment, then every sheet (some held). */
    static ElectionStore withLog(ElectionStore store, SyntheticElection e, String submissionPrefix, int sheetLimit) {
        var s = e.setup();
        store.saveSetup(new Setup(s.name(), s.rootName(), e.regions(), s.contests()));
        RegionTree tree = e.tree();
        Instant at = Instant.parse("2024-02-14T06:00:00Z");
        List<byte[]> entries = new ArrayList<>();
        for (int t = tree.regionCount(); t < tree.size(); t++) {
            SimOfficer o = SimOfficer.of(tree.code(t), "", 1);
            entries.add(EntryCodec.encode(new DeviceEnrolled(at, o.device(), o.publicKey(), Role.OFFICER, o.tps())));
        }
        int sheets = 0;
        for (int t = tree.regionCount(); t < tree.size() && sheets < sheetLimit; t++) {
            SimOfficer o = SimOfficer.of(tree.code(t), "", 1);
            for (Contest c : e.election().contestsAt(t)) {
                var sheet = e.sheet(t, c);
                String id = submissionPrefix + t + "-" + c.id();
                entries.add(EntryCodec.encode(new SheetSubmitted(id, at.plusSeconds(3600 + t), sheet, o.device(),
                        o.sign(SignedPayloads.sheet(id, sheet)))));
                sheets++;
            }
        }
        append(store, entries);
        return store;
    }

    /** Appends entries with their tree hashes, as the log writer does. */
    static void append(ElectionStore store, List<byte[]> entries) {
        InMemoryHashStore hashes = new InMemoryHashStore();
        store.readHashes(hashes::put);
        MerkleTree tree = new MerkleTree(hashes, store.logSize());
        List<byte[]> leaves = entries.stream().map(MerkleHash::leaf).toList();
        List<StoredHash> added = tree.hashesToAppend(leaves);
        store.append(entries, added);
    }

    /** One more sheet entry, from the first TPS's officer, under a new submission id. */
    static byte[] extraSheet(SyntheticElection e, String id) {
        RegionTree tree = e.tree();
        int t = tree.regionCount();
        SimOfficer o = SimOfficer.of(tree.code(t), "", 1);
        var sheet = e.sheet(t, e.election().contestsAt(t).get(0));
        return EntryCodec.encode(new SheetSubmitted(id, Instant.parse("2024-02-14T12:00:00Z"), sheet, o.device(),
                o.sign(SignedPayloads.sheet(id, sheet))));
    }

    static byte[] fingerprint(ElectionStore store) {
        Setup setup = store.loadSetup().orElseThrow();
        return SavedState.fingerprint(setup.name(), setup.election());
    }

    static Restore.Result restore(ElectionStore store) {
        Setup setup = store.loadSetup().orElseThrow();
        return Restore.run(store, setup.election(), SavedState.fingerprint(setup.name(), setup.election()));
    }

    /** Saves the state a full replay of the store's log gives; returns the log size saved. */
    static long saveNow(ElectionStore store) {
        Restore.Result r = restore(store);
        StateSaver saver = new StateSaver(store, fingerprint(store), r.tally(), r.intake(), r.hashes(), r::tree,
                () -> null, -1);
        return saver.saveIfBehind(1);
    }

    /** Every document of the first snapshot published from this state, by path. */
    static Map<String, String> documents(ElectionStore store, Restore.Result r) {
        Publisher p = new Publisher(r.tally(), store.loadSetup().orElseThrow().name(), new LogSigning(SIGNER, r::tree));
        p.refresh();
        Map<String, String> out = new TreeMap<>();
        p.snapshot().documents().forEach((path, d) -> out.put(path, new String(d.identity(), java.nio.charset.StandardCharsets.UTF_8)));
        out.put("checkpoint", new String(p.snapshot().checkpoint().identity(), java.nio.charset.StandardCharsets.UTF_8));
        return out;
    }

    static byte[] savedBytes(ElectionStore store) {
        return store.readState(new ElectionStore.StateReader<byte[]>() {
            @Override
            public byte[] read(java.io.InputStream in) throws java.io.IOException {
                return in.readAllBytes();
            }

            @Override
            public byte[] unreadable(java.io.IOException e) {
                throw new AssertionError(e);
            }
        }).orElseThrow();
    }

    static void putSaved(ElectionStore store, byte[] bytes) {
        store.saveState(out -> out.write(bytes));
    }

    @Test
    void savedStateIsUsedAndOnlyTheTailIsReplayed() {
        try (ElectionStore store = withLog(freshStore(), SMALL, "s-", Integer.MAX_VALUE)) {
            long saved = saveNow(store);
            assertThat(saved).isEqualTo(store.logSize());
            append(store, List.of(extraSheet(SMALL, "tail-1"), extraSheet(SMALL, "tail-2")));

            Restore.Result fromSaved = restore(store);
            assertThat(fromSaved.ignored()).isNull();
            assertThat(fromSaved.fromSaved()).isEqualTo(saved);
            assertThat(fromSaved.tree().size()).isEqualTo(store.logSize());
            assertThat(fromSaved.tally().logSize()).isEqualTo(store.logSize());
            assertThat(Restore.checkPrefix(store, fromSaved, () -> false)).isNull();

            // The same state as a replay of everything: same documents, same tree, same answers to officers.
            putSaved(store, new byte[0]);
            Restore.Result full = restore(store);
            assertThat(full.fromSaved()).isEqualTo(-1);
            assertThat(fromSaved.tree().root()).isEqualTo(full.tree().root());
            assertThat(documents(store, fromSaved)).isEqualTo(documents(store, full)).hasSizeGreaterThan(20);
            var retry = (SheetSubmitted) EntryCodec.decode(extraSheet(SMALL, "tail-1"));
            assertThat(fromSaved.intake().decide(retry)).isEqualTo(full.intake().decide(retry))
                    .isInstanceOf(Decision.Repeat.class);
            var reuse = (SheetSubmitted) EntryCodec.decode(extraSheet(SMALL, "s-" + SMALL.tree().regionCount() + "-x"));
            assertThat(fromSaved.intake().held(RegionTree.ROOT)).isEqualTo(full.intake().held(RegionTree.ROOT)).isNotEmpty();
            assertThat(fromSaved.intake().decide(reuse)).isEqualTo(full.intake().decide(reuse));
            String device = SimOfficer.of(SMALL.tree().code(SMALL.tree().regionCount()), "", 1).device();
            assertThat(fromSaved.intake().device(device)).usingRecursiveComparison().isEqualTo(full.intake().device(device));
        }
    }

    @Test
    void savedStateOfAnotherLogIsIgnored() {
        try (ElectionStore a = withLog(freshStore(), SMALL, "a-", Integer.MAX_VALUE);
                ElectionStore b = withLog(freshStore(), SMALL, "b-", Integer.MAX_VALUE)) {
            saveNow(a);
            putSaved(b, savedBytes(a));
            Restore.Result r = restore(b);
            assertThat(r.fromSaved()).isEqualTo(-1);
            assertThat(r.ignored()).contains("root").contains("differs");
            assertThat(r.tree().size()).isEqualTo(b.logSize());
            assertThat(r.intake().decide((SheetSubmitted) EntryCodec.decode(extraSheet(SMALL, "b-" + SMALL.tree().regionCount()
                    + "-" + SMALL.election().contestsAt(SMALL.tree().regionCount()).get(0).id()))))
                    .isInstanceOf(Decision.Repeat.class);
        }
    }

    @Test
    void savedStateAheadOfTheLogIsIgnored() {
        try (ElectionStore longer = withLog(freshStore(), SMALL, "s-", Integer.MAX_VALUE);
                ElectionStore shorter = withLog(freshStore(), SMALL, "s-", 10)) {
            saveNow(longer);
            putSaved(shorter, savedBytes(longer));
            Restore.Result r = restore(shorter);
            assertThat(r.fromSaved()).isEqualTo(-1);
            assertThat(r.ignored()).contains("covers " + longer.logSize() + " entries but the log has " + shorter.logSize());
            assertThat(documents(shorter, r)).isEqualTo(documents(shorter, fullReplay(shorter)));
        }
    }

    @Test
    void truncatedOrCorruptedSavedStateIsIgnored() {
        try (ElectionStore store = withLog(freshStore(), SMALL, "s-", Integer.MAX_VALUE)) {
            saveNow(store);
            byte[] good = savedBytes(store);
            Map<String, String> expected = documents(store, fullReplay(store));

            putSaved(store, java.util.Arrays.copyOf(good, good.length / 2));
            Restore.Result truncated = restore(store);
            assertThat(truncated.fromSaved()).isEqualTo(-1);
            assertThat(truncated.ignored()).isNotBlank();
            assertThat(documents(store, truncated)).isEqualTo(expected);

            byte[] flipped = good.clone();
            flipped[good.length - 100] ^= 0x01; // inside the intake's part, past every structural check
            putSaved(store, flipped);
            Restore.Result corrupted = restore(store);
            assertThat(corrupted.fromSaved()).isEqualTo(-1);
            assertThat(corrupted.ignored()).isNotBlank();
            assertThat(documents(store, corrupted)).isEqualTo(expected);

            putSaved(store, good);
            assertThat(restore(store).fromSaved()).isEqualTo(store.logSize());
        }
    }

    @Test
    void savedStateOfAnotherElectionIsIgnored() {
        SyntheticElection other = SyntheticElection.of(Scale.SMALL, 2);
        try (ElectionStore a = withLog(freshStore(), other, "s-", 20);
                ElectionStore b = withLog(freshStore(), SMALL, "s-", 20)) {
            saveNow(a);
            putSaved(b, savedBytes(a));
            Restore.Result r = restore(b);
            assertThat(r.fromSaved()).isEqualTo(-1);
            assertThat(r.ignored()).contains("another election");
        }
    }

    private static Restore.Result fullReplay(ElectionStore store) {
        byte[] keep = savedBytes(store);
        putSaved(store, new byte[0]);
        Restore.Result r = restore(store);
        putSaved(store, keep);
        assertThat(r.fromSaved()).isEqualTo(-1);
        return r;
    }
}
