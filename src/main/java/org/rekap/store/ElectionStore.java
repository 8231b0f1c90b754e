package org.rekap.store;

import java.util.List;
import java.util.Optional;
import org.rekap.ledger.LogEntry;
import org.rekap.ledger.StoredHash;

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
     * Appends entries in order, with the Merkle tree hashes they complete, durably, in one transaction: when this
     * returns they survive a crash or power loss.
     *
     * @return the sequence number of the first entry
     */
    long append(List<byte[]> entries, List<StoredHash> hashes);

    /** Appends entries without tree hashes: only for tests and tools that build a log by hand. */
    default long append(List<byte[]> entries) {
        return append(entries, List.of());
    }

    /** Stores tree hashes that a log written without them lacks (the entries themselves are already durable). */
    void appendHashes(List<StoredHash> hashes);

    /** Calls the consumer for every stored tree hash, each level in index order. */
    void readHashes(java.util.function.Consumer<StoredHash> consumer);

    /**
     * Calls the consumer for every stored tree hash that the tree of the first {@code size} leaves does not have
     * (per level L, the indices from {@code size >> L} on), each level in index order.
     */
    void readHashesAfter(long size, java.util.function.Consumer<StoredHash> consumer);

    /** One stored tree hash (level, index), or null when it is not stored. */
    byte[] treeHash(int level, long index);

    /** Writes derived state to the stream it is given. */
    @FunctionalInterface
    interface StateWriter {
        void write(java.io.OutputStream out) throws java.io.IOException;
    }

    /** Reads derived state from the stream it is given; says what to return when the stream itself fails. */
    interface StateReader<T> {
        T read(java.io.InputStream in) throws java.io.IOException;

        /** What {@link #read} could not finish because of {@code e} (a read error, or data that does not parse). */
        T unreadable(java.io.IOException e);
    }

    /**
     * Replaces the saved derived state (an opaque blob only Rekap's restart reads, see {@code org.rekap.state}) with
     * what {@code writer} writes, in one transaction. It is not part of the log: losing it only slows the next start.
     */
    void saveState(StateWriter writer);

    /** Streams the saved derived state to {@code reader}; empty when none is saved. */
    <T> Optional<T> readState(StateReader<T> reader);

    /** Number of entries in the log (the next sequence number). */
    long logSize();

    /** Calls the consumer for entries [from, to) in order. */
    void readLog(long from, long to, java.util.function.Consumer<LogEntry> consumer);

    /**
     * Stores newly issued enrolment codes in one transaction; unused earlier codes for the same role and scope stop
     * working (a reprinted code replaces the lost one).
     */
    void issueCodes(java.util.List<EnrolmentCode> codes);

    /**
     * Marks a code used by {@code device}, exactly once across all callers, if it exists and has not expired at
     * {@code now}. The same device may present it again and is accepted again: the code is spent before the enrolment
     * reaches the log, and a crash or a lost answer in between must not lock the phone out (the log refuses a second
     * enrolment of the device anyway).
     */
    CodeUse useCode(byte[] codeHash, String device, java.time.Instant now);

    @Override
    void close();
}
