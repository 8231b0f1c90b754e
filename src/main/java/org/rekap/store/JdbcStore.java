package org.rekap.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.rekap.ledger.LogEntry;
import org.rekap.ledger.StoredHash;

/**
 * What both stores do the same way: every operation is one transaction of {@link Tables}' SQL. A store says only how
 * it runs a writing and a reading transaction (one connection or a pool), how many rows a read fetches at a time,
 * and how it saves a set-up.
 */
abstract class JdbcStore implements ElectionStore {
    /** The log's size, numbered from by {@link #append}: one process writes an election at a time. */
    protected long size;

    /** Runs a writing transaction: committed whole, or rolled back and reported as a {@link StoreException}. */
    protected abstract <T> T write(String what, Tables.Work<T> work);

    /** Runs a reading transaction that never waits for a writer. */
    protected abstract <T> T read(String what, Tables.Work<T> work);

    /** Rows per round trip when streaming (0: the driver's default). */
    protected abstract int fetchSize();

    @Override
    public Optional<Setup> loadSetup() {
        return read("read the election set-up", Tables::loadSetup);
    }

    @Override
    public synchronized long append(List<byte[]> entries, List<StoredHash> hashes) {
        long first = size;
        size = write("append to the log", c -> {
            long next = Tables.insertEntries(c, first, entries);
            Tables.insertHashes(c, hashes);
            return next;
        });
        return first;
    }

    @Override
    public synchronized void appendHashes(List<StoredHash> hashes) {
        write("store tree hashes", c -> {
            Tables.insertHashes(c, hashes);
            return null;
        });
    }

    @Override
    public void readHashes(Consumer<StoredHash> consumer) {
        read("read the tree hashes", c -> {
            Tables.readHashes(c, fetchSize(), consumer);
            return null;
        });
    }

    @Override
    public void readHashesAfter(long after, Consumer<StoredHash> consumer) {
        read("read the tree hashes", c -> {
            Tables.readHashesAfter(c, fetchSize(), after, consumer);
            return null;
        });
    }

    @Override
    public byte[] treeHash(int level, long index) {
        return read("read a tree hash", c -> Tables.treeHash(c, level, index));
    }

    @Override
    public synchronized void saveState(StateWriter writer) {
        write("save the derived state", c -> {
            Tables.saveState(c, writer);
            return null;
        });
    }

    @Override
    public <T> Optional<T> readState(StateReader<T> reader) {
        return read("read the derived state", c -> Tables.readState(c, reader));
    }

    @Override
    public synchronized long logSize() {
        return size;
    }

    @Override
    public void readLog(long from, long to, Consumer<LogEntry> consumer) {
        read("read the log", c -> {
            Tables.readLog(c, fetchSize(), from, to, consumer);
            return null;
        });
    }

    @Override
    public void issueCodes(List<EnrolmentCode> codes) {
        write("store enrolment codes", c -> {
            Tables.issueCodes(c, codes);
            return null;
        });
    }

    @Override
    public CodeUse useCode(byte[] codeHash, String device, Instant now) {
        return write("check an enrolment code", c -> Tables.useCode(c, codeHash, device, now));
    }
}
