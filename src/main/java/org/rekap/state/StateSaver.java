package org.rekap.state;

import java.util.function.Supplier;
import org.rekap.ledger.InMemoryHashStore;
import org.rekap.ledger.MerkleTree;
import org.rekap.officer.Intake;
import org.rekap.store.ElectionStore;
import org.rekap.tally.Tally;

/**
 * Saves a node's derived state into its store ({@link SavedState}) when the log has grown enough since the last
 * save, and once more at a clean stop, so that the next start replays only what came after. Saving holds the
 * tally's monitor: the log writer waits meanwhile (a few seconds at national scale), which is why it is not done
 * after every batch.
 */
public final class StateSaver {
    private final ElectionStore store;
    private final byte[] fingerprint;
    private final Tally tally;
    private final Intake intake;
    private final InMemoryHashStore hashes;
    private final Supplier<MerkleTree> tree;
    private final Supplier<String> failure;
    private long savedAt;

    /**
     * @param savedAt the log size of the state already saved (-1 for none)
     * @param failure the log writer's failure, null while healthy: state ahead of the log must never be saved
     */
    public StateSaver(ElectionStore store, byte[] fingerprint, Tally tally, Intake intake, InMemoryHashStore hashes,
            Supplier<MerkleTree> tree, Supplier<String> failure, long savedAt) {
        this.store = store;
        this.fingerprint = fingerprint.clone();
        this.tally = tally;
        this.intake = intake;
        this.hashes = hashes;
        this.tree = tree;
        this.failure = failure;
        this.savedAt = savedAt;
    }

    /**
     * Saves the state if the log has at least {@code minGrowth} entries more than the saved state.
     *
     * @return the log size saved, or -1 when nothing was saved
     */
    public synchronized long saveIfBehind(long minGrowth) {
        synchronized (tally) {
            MerkleTree t = tree.get();
            long size = tally.logSize();
            if (failure.get() != null || t.size() != size || size - Math.max(savedAt, 0) < minGrowth || size == savedAt)
                return -1;
            SavedState.save(store, fingerprint, tally, intake, hashes, t);
            savedAt = size;
            return size;
        }
    }

    /** The log size of the state saved last (-1 for none). */
    public synchronized long savedAt() {
        return savedAt;
    }
}
