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
