package org.rekap.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.rekap.ledger.LogEntry;
import org.rekap.ledger.StoredHash;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded store: one SQLite file in WAL mode with {@code synchronous=FULL}, so a committed append survives
 * power loss. One connection writes, so every writing method is synchronized; appends are batched by the caller
 * ({@code GroupCommit}) to amortise fsync. The SQL itself is shared with PostgreSQL ({@link Tables}).
 */
public final class SqliteStore implements ElectionStore {
    private final Path file;
    private final Connection conn;
    /** Readers of the log get their own connection: in WAL mode they see committed entries and never wait for a commit. */
    private final Connection readConn;
    private long size;

    private SqliteStore(Path file, Connection conn, Connection readConn) throws SQLException {
        this.file = file;
        this.conn = conn;
        this.readConn = readConn;
        size = Tables.logSize(conn);
        conn.commit();
    }

    /** Opens (creating and migrating if needed) the database file. */
    public static SqliteStore open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(5000);
            config.enforceForeignKeys(true);
            SQLiteDataSource ds = new SQLiteDataSource(config);
            ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
            Flyway.configure().dataSource(ds).locations("classpath:db/migration/sqlite").load().migrate();
            Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
            conn.setAutoCommit(false);
            SQLiteConfig readConfig = new SQLiteConfig();
            readConfig.setReadOnly(true);
            readConfig.setBusyTimeout(5000);
            Connection readConn = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), readConfig.toProperties());
            return new SqliteStore(file, conn, readConn);
        } catch (Exception e) {
            throw new StoreException("cannot open the database " + file + ": " + e.getMessage()
                    + " (is another rekap process using it, or is the disk full?)", e);
        }
    }

    @Override
    public synchronized void saveSetup(Setup setup) {
        if (size > 0)
            throw new IllegalStateException("the log of " + file + " already has " + size
                    + " entries; import into a new data directory instead");
        write("save the election set-up", c -> {
            Tables.saveSetup(c, setup);
            return null;
        });
    }

    @Override
    public synchronized Optional<Setup> loadSetup() {
        return write("read the election set-up", Tables::loadSetup);
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
        synchronized (readConn) {
            try {
                Tables.readHashes(readConn, 0, consumer);
            } catch (SQLException e) {
                throw new StoreException("cannot read the tree hashes: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void readHashesAfter(long size, Consumer<StoredHash> consumer) {
        synchronized (readConn) {
            try {
                Tables.readHashesAfter(readConn, 0, size, consumer);
            } catch (SQLException e) {
                throw new StoreException("cannot read the tree hashes: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public byte[] treeHash(int level, long index) {
        synchronized (readConn) {
            try {
                return Tables.treeHash(readConn, level, index);
            } catch (SQLException e) {
                throw new StoreException("cannot read a tree hash: " + e.getMessage(), e);
            }
        }
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
        synchronized (readConn) {
            try {
                return Tables.readState(readConn, reader);
            } catch (SQLException e) {
                throw new StoreException("cannot read the derived state: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public synchronized long logSize() {
        return size;
    }

    @Override
    public void readLog(long from, long to, Consumer<LogEntry> consumer) {
        synchronized (readConn) {
            try {
                Tables.readLog(readConn, 0, from, to, consumer);
            } catch (SQLException e) {
                throw new StoreException("cannot read the log: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public synchronized void issueCodes(List<EnrolmentCode> codes) {
        write("store enrolment codes", c -> {
            Tables.issueCodes(c, codes);
            return null;
        });
    }

    @Override
    public synchronized CodeUse useCode(byte[] codeHash, String device, Instant now) {
        return write("check an enrolment code", c -> Tables.useCode(c, codeHash, device, now));
    }

    /** Runs one transaction on the writing connection: committed whole, or rolled back and reported. */
    private <T> T write(String what, Tables.Work<T> work) {
        try {
            T result = work.run(conn);
            conn.commit();
            return result;
        } catch (SQLException e) {
            rollback();
            throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            rollback();
            throw e;
        }
    }

    private void rollback() {
        try {
            conn.rollback();
        } catch (SQLException ignored) {
            // the original failure is what the caller reports
        }
    }

    @Override
    public synchronized void close() {
        try {
            synchronized (readConn) {
                readConn.close();
            }
            conn.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
