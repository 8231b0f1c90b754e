package org.rekap.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded store: one SQLite file in WAL mode with {@code synchronous=FULL}, so a committed append survives
 * power loss. One connection writes, so every writing method is synchronized; appends are batched by the caller
 * ({@code GroupCommit}) to amortise fsync. The SQL itself is shared with PostgreSQL ({@link Tables}).
 */
public final class SqliteStore extends JdbcStore {
    private final Path file;
    private final Connection conn;
    /** Readers of the log get their own connection: in WAL mode they see committed entries and never wait for a commit. */
    private final Connection readConn;

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

    /** One transaction on the writing connection: committed whole, or rolled back and reported. */
    @Override
    protected synchronized <T> T write(String what, Tables.Work<T> work) {
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

    /** Reads on their own connection: in WAL mode they see committed entries and never wait for a commit. */
    @Override
    protected <T> T read(String what, Tables.Work<T> work) {
        synchronized (readConn) {
            try {
                return work.run(readConn);
            } catch (SQLException e) {
                throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    protected int fetchSize() {
        return 0;
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
