package org.rekap.store;

import java.util.List;
import java.util.Optional;
import org.rekap.ledger.LogEntry;

/**
 * Where an election lives: its set-up (regions and contests) and its log. The log is the source of truth: the store
 * keeps no current numbers, only entries, each with a gapless sequence number from 0 and its canonical bytes.
 * One process writes at a time.
 */
public interface ElectionStore extends AutoCloseable {
    /**
     * Stores the set-up, replacing any earlier one, in one transaction.
     *
     * @throws IllegalStateException if the log already has entries (its meaning depends on the set-up)
     */
    void saveSetup(Setup setup);

    Optional<Setup> loadSetup();

    /**
     * Appends entries in order, durably, in one transaction: when this returns they survive a crash or power loss.
     *
     * @return the sequence number of the first entry
     */
    long append(List<byte[]> entries);

    /** Number of entries in the log (the next sequence number). */
    long logSize();

    /** Calls the consumer for entries [from, to) in order. */
    void readLog(long from, long to, java.util.function.Consumer<LogEntry> consumer);

    @Override
    void close();
}
