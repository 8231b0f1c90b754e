package org.rekap.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.rekap.ledger.EntryBundle;
import org.rekap.ledger.LogEntry;
import org.rekap.ledger.MerkleHash;
import org.rekap.ledger.Tile;
import org.rekap.ledger.TileLayout;
import org.rekap.store.ElectionStore;

/**
 * The log's files at one size, in one sequential read of the log: every entry bundle (with a gzip twin: a reader's TPS
 * page and its verification fetch one) and every hash tile. Each entry read is checked against its leaf hash in the
 * rebuilt tree, which covers the entries a start from saved state did not replay. Entries are also handed to
 * {@code visitor} in log order.
 */
final class LogFiles {
    /**
     * Level 4 compresses a bundle of sheets to 20% at 110 MB/s of one core, level 6 to 16.5% at 50 MB/s (measured on
     * the province data set's bundles): most of the gain for half the CPU.
     */
    static final int BUNDLE_LEVEL = 4;
    /** Bundles read but not yet written: bounds the memory they hold (about 300 KB each). */
    private static final int IN_FLIGHT = 32;

    private final ElectionStore store;
    private final ExportState state;
    private final long size;
    private final ExportFiles out;
    /** Entries read so far, for progress from another thread. */
    final AtomicLong done = new AtomicLong();
    /**
     * When {@link #write} began ({@link System#nanoTime}): it runs beside the documents' phases. Until then, when this
     * was made, so that progress asked for before the pass starts never counts from zero.
     */
    volatile long startedNanos = System.nanoTime();

    LogFiles(ElectionStore store, ExportState state, long size, ExportFiles out) {
        this.store = store;
        this.state = state;
        this.size = size;
        this.out = out;
    }

    /** Units of work: entries read, then hash tiles written. */
    long total() {
        return size + TileLayout.hashTiles(size).size();
    }

    /**
     * Reads the log and writes its files; bundles are compressed and written by {@code writers} (at most
     * {@link #IN_FLIGHT} waiting), so that the read is not held up by compression.
     *
     * @throws ExportException when an entry does not match its leaf hash (the database was changed)
     */
    void write(Consumer<LogEntry> visitor, Executor writers) throws InterruptedException, ExecutionException {
        startedNanos = System.nanoTime();
        List<Tile> bundles = TileLayout.entryBundles(size);
        List<byte[]> pending = new ArrayList<>(TileLayout.WIDTH);
        List<Future<?>> written = new ArrayList<>();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        int[] next = {0};
        store.readLog(0, size, e -> {
            if (!Arrays.equals(MerkleHash.leaf(e.bytes()), state.hashes().hash(0, e.seq())))
                throw new ExportException("log entry " + e.seq() + " does not match its tree hash: the database was"
                        + " changed outside Rekap; restore it from a backup or a mirror");
            visitor.accept(e);
            pending.add(e.bytes());
            Tile bundle = bundles.get(next[0]);
            if (pending.size() == bundle.width()) {
                byte[] body = EntryBundle.encode(pending);
                inFlight.acquireUninterruptibly();
                FutureTask<Void> task = new FutureTask<>(() -> {
                    try {
                        out.putCompressed(bundle.path(), body, BUNDLE_LEVEL);
                    } finally {
                        inFlight.release();
                    }
                    return null;
                });
                written.add(task);
                writers.execute(task);
                pending.clear();
                next[0]++;
            }
            done.incrementAndGet();
        });
        if (next[0] != bundles.size()) throw new IllegalStateException("the log ended before entry " + done.get());
        for (Future<?> f : written) f.get();
        for (Tile t : TileLayout.hashTiles(size)) {
            out.put(t.path(), TileLayout.hashTile(state.hashes(), t)); // hashes do not compress
            done.incrementAndGet();
        }
    }
}
