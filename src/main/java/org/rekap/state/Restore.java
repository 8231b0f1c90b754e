package org.rekap.state;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.rekap.contest.Election;
import org.rekap.ledger.HashStore;
import org.rekap.ledger.InMemoryHashStore;
import org.rekap.ledger.MerkleTree;
import org.rekap.officer.Intake;
import org.rekap.officer.LogReplay;
import org.rekap.store.ElectionStore;
import org.rekap.tally.Tally;

/**
 * Rebuilds a node's derived state at start: from the state saved in the store when it is valid for this log (then
 * only the entries after it are replayed), otherwise by replaying the whole log. Either way the result is what a
 * full replay gives, since saved state is only ever written from such a state, and is used only when its Merkle root
 * at its size N is the stored tree's root at N. The entries before N are then not re-read at start:
 * {@link #checkPrefix} compares them with their leaf hashes afterwards.
 */
public final class Restore {
    /**
     * The rebuilt state. {@code fromSaved} is the log size the saved state covered (-1 when the whole log was
     * replayed), {@code ignored} why saved state was not used (null when it was, or when there was none).
     */
    public record Result(Tally tally, Intake intake, InMemoryHashStore hashes, MerkleTree tree, long fromSaved,
            String ignored) {}

    private Restore() {}

    public static Result run(ElectionStore store, Election election, byte[] fingerprint) {
        long size = store.logSize();
        Optional<Object> saved = store.readState(new ElectionStore.StateReader<>() {
            @Override
            public Object read(InputStream in) throws IOException {
                return SavedState.read(in, election, fingerprint);
            }

            @Override
            public Object unreadable(IOException e) {
                return e.getMessage() == null ? e.toString() : e.getMessage();
            }
        });
        String ignored = null;
        if (saved.isPresent() && saved.get() instanceof SavedState.Loaded loaded) {
            ignored = mismatch(store, loaded, size);
            if (ignored == null) {
                MerkleTree tree = LogReplay.replayFrom(store, loaded.intake(), loaded.hashes(), loaded.size());
                loaded.tally().advanceTo(size);
                return new Result(loaded.tally(), loaded.intake(), loaded.hashes(), tree, loaded.size(), null);
            }
        } else if (saved.isPresent()) {
            ignored = (String) saved.get();
        }
        Tally tally = new Tally(election);
        Intake intake = new Intake(tally);
        InMemoryHashStore hashes = new InMemoryHashStore();
        MerkleTree tree = LogReplay.replay(store, intake, hashes);
        tally.advanceTo(size);
        return new Result(tally, intake, hashes, tree, -1, ignored);
    }

    /** Why loaded state does not belong to this log, or null when it does. */
    private static String mismatch(ElectionStore store, SavedState.Loaded loaded, long size) {
        if (loaded.size() > size)
            return "it covers " + loaded.size() + " entries but the log has " + size;
        byte[] own = new MerkleTree(loaded.hashes(), loaded.size()).root();
        if (!Arrays.equals(own, loaded.root())) return "its hashes do not give its root (corrupted)";
        byte[] stored;
        try {
            HashStore inStore = (level, index) -> {
                byte[] h = store.treeHash(level, index);
                if (h == null) throw new NoSuchElementException("no stored hash at level " + level + " index " + index);
                return h;
            };
            stored = new MerkleTree(inStore, loaded.size()).root();
        } catch (NoSuchElementException e) {
            return "the stored tree lacks hashes it needs (" + e.getMessage() + ")";
        }
        if (!Arrays.equals(stored, loaded.root()))
            return "its root at " + loaded.size() + " entries differs from the stored log's";
        return null;
    }

    /**
     * Checks the entries a start from saved state did not read, [0, fromSaved), against their leaf hashes, until
     * {@code stop} says to give up (the server is closing).
     *
     * @return null when they all match, otherwise what does not
     */
    public static String checkPrefix(ElectionStore store, Result result, java.util.function.BooleanSupplier stop) {
        return result.fromSaved() <= 0 ? null : LogReplay.check(store, result.hashes(), result.fromSaved(), stop);
    }
}
