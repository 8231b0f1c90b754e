package org.rekap.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.rekap.contest.Election;
import org.rekap.ledger.HashStore;
import org.rekap.ledger.InMemoryHashStore;
import org.rekap.ledger.MerkleHash;
import org.rekap.ledger.MerkleTree;
import org.rekap.officer.Intake;
import org.rekap.state.Restore;
import org.rekap.state.SavedState;
import org.rekap.store.ElectionStore;
import org.rekap.store.Setup;
import org.rekap.tally.Tally;
import org.rekap.verify.ProgressListener;

/**
 * The tally and the tree of the log's first {@code size} entries, rebuilt in memory without writing to the store.
 * {@code fromSaved} is the size the server's saved state covered when the rebuild started from it (only the entries
 * after it were replayed; the earlier ones are checked against their leaf hashes while the entry bundles are
 * written), or -1 after a full replay.
 */
record ExportState(Tally tally, InMemoryHashStore hashes, MerkleTree tree, long fromSaved) {
    /**
     * Rebuilds the state at {@code size}, the log size the store had when opened. The server's way ({@link Restore}:
     * saved state when it matches the log, then the tail) is taken when the store's tree covers exactly {@code size}
     * entries and there is saved state; otherwise (no saved state, a server appended since, or a log written without
     * tree hashes, which {@link Restore} would complete in the store) the whole log is replayed here, with progress.
     */
    static ExportState load(ElectionStore store, Setup setup, long size, ProgressListener progress) {
        Election election = setup.election();
        String why = null;
        if (size > 0 && hasSavedState(store) && store.treeHash(0, size - 1) != null && store.treeHash(0, size) == null) {
            progress.begin("state restored (saved state and the log after it)", size);
            try {
                Restore.Result r = Restore.run(store, election, SavedState.fingerprint(setup.name(), election));
                progress.advance(size);
                progress.end();
                if (r.tree().size() == size) {
                    if (r.ignored() != null) progress.warn("the saved state was not used (" + r.ignored() + "): the whole"
                            + " log was replayed");
                    return new ExportState(r.tally(), r.hashes(), r.tree(), r.fromSaved());
                }
                why = "the log grew to " + r.tree().size() + " entries meanwhile";
            } catch (IllegalStateException e) {
                progress.end();
                why = e.getMessage();
            }
        }
        if (why != null) progress.warn("replaying the whole log: " + why);
        return replay(store, election, size, progress);
    }

    /** Whether the server saved its state in the store (without reading it: {@link Restore} does). */
    private static boolean hasSavedState(ElectionStore store) {
        return store.readState(new ElectionStore.StateReader<Boolean>() {
            @Override
            public Boolean read(java.io.InputStream in) {
                return true;
            }

            @Override
            public Boolean unreadable(java.io.IOException e) {
                return true;
            }
        }).isPresent();
    }

    /** Every entry up to {@code size} replayed; the tree computed from them must be the stored one. */
    private static ExportState replay(ElectionStore store, Election election, long size, ProgressListener progress) {
        Tally tally = new Tally(election);
        Intake intake = new Intake(tally);
        List<byte[]> leaves = new ArrayList<>((int) Math.min(size, Integer.MAX_VALUE - 8));
        progress.begin("log entries replayed", size);
        long[] n = {0};
        store.readLog(0, size, e -> {
            leaves.add(MerkleHash.leaf(e.bytes()));
            intake.replay(e);
            if (++n[0] % 1024 == 0) progress.advance(1024);
        });
        progress.advance(n[0] % 1024);
        progress.end();
        tally.advanceTo(size);
        InMemoryHashStore hashes = new InMemoryHashStore();
        MerkleTree tree = new MerkleTree(hashes, 0);
        hashes.putAll(tree.hashesToAppend(leaves));
        tree = tree.withSize(size);
        // The stored tree is what the origin signs: an export that disagreed with it would be a fork.
        byte[] stored = storedRoot(store, size);
        if (stored != null && size > 0 && !Arrays.equals(stored, tree.root()))
            throw new ExportException("the log's entries do not hash to its stored tree: the database was changed"
                    + " outside Rekap; restore it from a backup or a mirror");
        return new ExportState(tally, hashes, tree, -1);
    }

    /** The stored tree's root at {@code size}, from the O(log size) subtrees it needs; null when they are not stored. */
    private static byte[] storedRoot(ElectionStore store, long size) {
        HashStore inStore = (level, index) -> {
            byte[] h = store.treeHash(level, index);
            if (h == null) throw new NoSuchElementException();
            return h;
        };
        try {
            return size == 0 ? null : new MerkleTree(inStore, size).root();
        } catch (NoSuchElementException e) {
            return null;
        }
    }
}
