package org.rekap.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/**
 * The production store: a PostgreSQL schema, reached through a small connection pool. Every commit waits for the
 * server's WAL flush ({@code synchronous_commit=on} is set on each connection, whatever the server's default), so
 * a committed append survives a crash of either machine. Writes of the log and set-up are synchronized (one writer,
 * like SQLite); reading the log, the tree hashes and using codes take their own pooled connections, so a long read
 * streams through a server-side cursor ({@link #FETCH_SIZE} rows at a time) without holding up appends, and codes
 * are decided by the database's row lock. The SQL is shared with SQLite ({@link Tables}).
 */
public final class PostgresStore extends JdbcStore {
    /** Rows per round trip when reading the log or the hashes: a bounded amount in memory, however long the log. */
    static final int FETCH_SIZE = 2_000;
    private static final int POOL_SIZE = 6;

    private final PostgresUrl url;
    private final HikariDataSource pool;

    private PostgresStore(PostgresUrl url, HikariDataSource pool) {
        this.url = url;
        this.pool = pool;
        this.size = inTransaction("read the log's size", Tables::logSize);
    }

    /**
     * Connects, creating the schema and migrating it if needed.
     *
     * @throws StoreException saying whether the server did not answer, refused the login, or lacks the database
     */
    public static PostgresStore open(PostgresUrl url) {
        HikariDataSource pool = null;
        try {
            pool = new HikariDataSource(poolConfig(url));
            Flyway.configure().dataSource(pool).schemas(url.schema()).locations("classpath:db/migration/postgresql")
                    .load().migrate();
            return new PostgresStore(url, pool);
        } catch (RuntimeException e) {
            if (pool != null) pool.close();
            throw explain(url, e);
        }
    }

    private static HikariConfig poolConfig(PostgresUrl url) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) c.setUsername(url.user());
        if (url.password() != null) c.setPassword(url.password());
        c.setPoolName("rekap " + url);
        c.setMaximumPoolSize(POOL_SIZE);
        c.setMinimumIdle(1);
        c.setAutoCommit(false);
        c.setConnectionTimeout(10_000);
        c.setConnectionInitSql("SET synchronous_commit TO on");
        c.addDataSourceProperty("currentSchema", url.schema());
        c.addDataSourceProperty("ApplicationName", "rekap");
        c.addDataSourceProperty("connectTimeout", "5");
        // Lets the driver send a batch of inserts as multi-row statements: far fewer round trips per append.
        c.addDataSourceProperty("reWriteBatchedInserts", "true");
        url.parameters().forEach(c::addDataSourceProperty);
        return c;
    }

    /** Turns a failure to open into a message that says what to check next. */
    private static StoreException explain(PostgresUrl url, RuntimeException e) {
        String state = null;
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && state == null) state = s.getSQLState();
            root = t;
        }
        String why = root.getMessage() == null ? root.toString() : root.getMessage();
        if (root instanceof ConnectException || root instanceof UnknownHostException
                || (state != null && state.startsWith("08")))
            return new StoreException("cannot reach PostgreSQL at " + url + " (" + why + "); is it running? Start it"
                    + " ('systemctl start postgresql', or 'pg_ctlcluster 15 main start' on Debian 12), or correct --db", e);
        if (state != null && state.startsWith("28"))
            return new StoreException("PostgreSQL at " + url + " refused the login (" + why + "); check the user and"
                    + " password (in --db or PGPASSWORD) and the server's pg_hba.conf", e);
        if ("3D000".equals(state))
            return new StoreException("PostgreSQL at " + url.host() + ":" + url.port() + " has no database '"
                    + url.database() + "'; create it (for example 'createdb -h " + url.host() + " " + url.database()
                    + "') or correct --db", e);
        return new StoreException("cannot open the PostgreSQL store " + url + ": " + why, e);
    }

    @Override
    protected <T> T write(String what, Tables.Work<T> work) {
        return inTransaction(what, work);
    }

    /** Reads run in a transaction of their own: the driver streams through a cursor only inside one. */
    @Override
    protected <T> T read(String what, Tables.Work<T> work) {
        return inTransaction(what, work);
    }

    @Override
    protected int fetchSize() {
        return FETCH_SIZE;
    }

    /** Runs one transaction on a pooled connection: committed whole, or rolled back and reported. */
    private <T> T inTransaction(String what, Tables.Work<T> work) {
        try (Connection c = pool.getConnection()) {
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot " + what + " in " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void saveSetup(Setup setup) {
        inTransaction("save the election set-up", c -> {
            // Asked of the database, not the cached size: another process may have written since this one opened.
            if (Tables.logHasEntries(c))
                throw new IllegalStateException("the log in " + url + " already has " + Tables.logSize(c)
                        + " entries; import into a new schema (?currentSchema=...) or database instead");
            Tables.saveSetup(c, setup);
            return null;
        });
    }

    /** A server setting as this store's connections see it (for tests of the connection set-up). */
    String setting(String name) {
        return inTransaction("read a setting", c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT current_setting('" + name.replace("'", "") + "')")) {
                rs.next();
                return rs.getString(1);
            }
        });
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return url.toString();
    }
}
