package org.rekap.officer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rekap.ledger.InMemoryHashStore;
import org.rekap.ledger.MerkleHash;
import org.rekap.ledger.MerkleTree;
import org.rekap.ledger.StoredHash;
import org.rekap.store.ElectionStore;

/**
 * Rebuilds derived state at start: replays entries through {@link Intake}, loads the stored Merkle tree, and checks
 * each replayed entry against its stored leaf hash, so a database altered behind the log's back refuses to serve.
 * Hashes missing for a tail of entries (a log written without them) are computed and stored.
 */
public final class LogReplay {
    private LogReplay() {}

    /** The tree over the whole log, its hashes in {@code hashes}: every entry replayed. */
    public static MerkleTree replay(ElectionStore store, Intake intake, InMemoryHashStore hashes) {
        return replayFrom(store, intake, hashes, 0);
    }

    /**
     * The tree over the whole log when {@code intake} and {@code hashes} already hold the state after the first
     * {@code from} entries (restored from saved state): only entries from {@code from} on are read and replayed.
     */
    public static MerkleTree replayFrom(ElectionStore store, Intake intake, InMemoryHashStore hashes, long from) {
        if (hashes.count(0) != from)
            throw new IllegalArgumentException("the hashes hold " + hashes.count(0) + " leaves, not " + from);
        store.readHashesAfter(from, hashes::put);
        long size = store.logSize();
        long stored = hashes.count(0);
        if (stored > size)
            throw new IllegalStateException("the tree has " + stored + " leaves but the log only " + size + " entries");
        List<byte[]> missing = new ArrayList<>();
        store.readLog(from, size, e -> {
            byte[] leaf = MerkleHash.leaf(e.bytes());
            if (e.seq() < stored) {
                if (!Arrays.equals(leaf, hashes.hash(0, e.seq())))
                    throw new IllegalStateException("log entry " + e.seq() + " does not match its tree hash: the database"
                            + " was changed outside Rekap; restore it from a backup or a mirror");
            } else {
                missing.add(leaf);
            }
            intake.replay(e);
        });
        MerkleTree tree = new MerkleTree(hashes, stored);
        if (!missing.isEmpty()) {
            List<StoredHash> added = tree.hashesToAppend(missing);
            store.appendHashes(added);
            hashes.putAll(added);
            tree = tree.withSize(size);
        }
        return tree;
    }

    /**
     * Checks entries [0, to) against their leaf hashes in {@code hashes} without replaying them: what a start from
     * saved state does after it serves, for the entries it did not read. Gives up early once {@code stop} says so.
     *
     * @return null when all match (or it stopped), otherwise what does not
     */
    public static String check(ElectionStore store, InMemoryHashStore hashes, long to,
            java.util.function.BooleanSupplier stop) {
        final class Stopped extends RuntimeException {
            Stopped() {
                super(null, null, false, false);
            }
        }
        String[] problem = {null};
        try {
            store.readLog(0, to, e -> {
                if ((e.seq() & 0xfff) == 0 && stop.getAsBoolean()) throw new Stopped();
                if (!Arrays.equals(MerkleHash.leaf(e.bytes()), hashes.hash(0, e.seq()))) {
                    problem[0] = "log entry " + e.seq() + " does not match its tree hash: the database was changed"
                            + " outside Rekap; restore it from a backup or a mirror";
                    throw new Stopped();
                }
            });
        } catch (Stopped s) {
            // stopped early: by the caller, or at the first mismatch
        }
        return problem[0];
    }
}
