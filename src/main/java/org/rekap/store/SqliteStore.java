package org.rekap.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.rekap.codec.ContestsJson;
import org.rekap.codec.InvalidInputException;
import org.rekap.ledger.LogEntry;
import org.rekap.ledger.StoredHash;
import java.util.Map;
import org.rekap.region.Region;
import org.rekap.region.TpsNumbers;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded store: one SQLite file in WAL mode with {@code synchronous=FULL}, so a committed append survives
 * power loss. One connection writes; appends are batched by the caller ({@code GroupCommit}) to amortise fsync.
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
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM log_entry")) {
            rs.next();
            size = rs.getLong(1);
        }
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
        try {
            try (Statement st = conn.createStatement()) {
                st.executeUpdate("DELETE FROM region");
                st.executeUpdate("DELETE FROM election");
            }
            // TPS are folded into their parent's row (numbers and DPT as text): ten times fewer rows to write and read.
            Map<String, int[][]> tpsOf = TpsFolding.fold(setup.regions());
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO region(position, code, parent_code, level, name,"
                    + " tps_numbers, tps_dpt) VALUES (?,?,?,?,?,?,?)")) {
                int pos = 0;
                for (Region r : setup.regions()) {
                    if (r.isTps()) continue;
                    int[][] tps = tpsOf.getOrDefault(r.code(), TpsFolding.NONE);
                    ps.setInt(1, pos++);
                    ps.setString(2, r.code());
                    ps.setString(3, r.parentCode());
                    ps.setString(4, r.level());
                    ps.setString(5, r.name());
                    ps.setString(6, TpsNumbers.format(tps[0]));
                    ps.setString(7, TpsFolding.join(tps[1]));
                    ps.addBatch();
                    if (pos % 10_000 == 0) ps.executeBatch();
                }
                ps.executeBatch();
            }
            byte[] contests = ContestsJson.write(new ContestsJson.Setup(setup.name(), setup.rootName(), setup.contests()));
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO election(key, value) VALUES ('contests', ?)")) {
                ps.setBytes(1, contests);
                ps.executeUpdate();
            }
            conn.commit();
        } catch (SQLException e) {
            rollback();
            throw new StoreException("cannot save the election set-up: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Optional<Setup> loadSetup() {
        try {
            byte[] contests;
            try (Statement st = conn.createStatement();
                    ResultSet rs = st.executeQuery("SELECT value FROM election WHERE key = 'contests'")) {
                if (!rs.next()) return Optional.empty();
                contests = rs.getBytes(1);
            }
            List<Region> regions = new ArrayList<>();
            try (Statement st = conn.createStatement();
                    ResultSet rs = st.executeQuery(
                            "SELECT code, parent_code, level, name, tps_numbers, tps_dpt FROM region ORDER BY position")) {
                while (rs.next()) {
                    String code = rs.getString(1);
                    regions.add(new Region(code, rs.getString(2), rs.getString(3), rs.getString(4), 0));
                    int[] numbers = TpsNumbers.parse(rs.getString(5));
                    if (numbers.length > 0) regions.addAll(TpsNumbers.rows(code, numbers, TpsFolding.split(rs.getString(6), numbers.length)));
                }
            }
            conn.commit();
            ContestsJson.Setup c = ContestsJson.read(contests);
            return Optional.of(new Setup(c.name(), c.rootName(), regions, c.contests()));
        } catch (SQLException e) {
            rollback();
            throw new StoreException("cannot read the election set-up: " + e.getMessage(), e);
        } catch (InvalidInputException e) {
            throw new StoreException("the stored contests are unreadable: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized long append(List<byte[]> entries, List<StoredHash> hashes) {
        long first = size;
        try {
            long seq = first;
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO log_entry(seq, body) VALUES (?, ?)")) {
                for (byte[] e : entries) {
                    ps.setLong(1, seq++);
                    ps.setBytes(2, e);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            insertHashes(hashes);
            conn.commit();
            size = seq;
            return first;
        } catch (SQLException e) {
            rollback();
            throw new StoreException("cannot append to the log: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void appendHashes(List<StoredHash> hashes) {
        try {
            insertHashes(hashes);
            conn.commit();
        } catch (SQLException e) {
            rollback();
            throw new StoreException("cannot store tree hashes: " + e.getMessage(), e);
        }
    }

    private void insertHashes(List<StoredHash> hashes) throws SQLException {
        if (hashes.isEmpty()) return;
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO tree_hash(level, idx, hash) VALUES (?, ?, ?)")) {
            for (StoredHash h : hashes) {
                ps.setInt(1, h.level());
                ps.setLong(2, h.index());
                ps.setBytes(3, h.hash());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public void readHashes(Consumer<StoredHash> consumer) {
        synchronized (readConn) {
            try (Statement st = readConn.createStatement();
                    ResultSet rs = st.executeQuery("SELECT level, idx, hash FROM tree_hash ORDER BY level, idx")) {
                while (rs.next()) consumer.accept(new StoredHash(rs.getInt(1), rs.getLong(2), rs.getBytes(3)));
            } catch (SQLException e) {
                throw new StoreException("cannot read the tree hashes: " + e.getMessage(), e);
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
            try (PreparedStatement ps = readConn.prepareStatement("SELECT seq, body FROM log_entry WHERE seq >= ? AND seq < ? ORDER BY seq")) {
                ps.setLong(1, from);
                ps.setLong(2, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) consumer.accept(new LogEntry(rs.getLong(1), rs.getBytes(2)));
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read the log: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public synchronized void issueCodes(List<EnrolmentCode> codes) {
        try {
            try (PreparedStatement expire = conn.prepareStatement(
                            "UPDATE enrol_code SET expires_at = 0 WHERE role = ? AND scope = ? AND used_at IS NULL");
                    PreparedStatement insert = conn.prepareStatement(
                            "INSERT INTO enrol_code(code_hash, role, scope, expires_at) VALUES (?, ?, ?, ?)")) {
                for (EnrolmentCode c : codes) {
                    expire.setString(1, c.role().id());
                    expire.setString(2, c.scope());
                    expire.addBatch();
                    insert.setBytes(1, c.codeHash());
                    insert.setString(2, c.role().id());
                    insert.setString(3, c.scope());
                    insert.setLong(4, c.expiresAt().toEpochMilli());
                    insert.addBatch();
                }
                expire.executeBatch();
                insert.executeBatch();
            }
            conn.commit();
        } catch (SQLException e) {
            rollback();
            throw new StoreException("cannot store enrolment codes: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized CodeUse useCode(byte[] codeHash, String device, java.time.Instant now) {
        try {
            CodeUse result;
            boolean retry = false;
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT role, scope, expires_at, used_at, used_by FROM enrol_code WHERE code_hash = ?")) {
                ps.setBytes(1, codeHash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) result = CodeUse.refused("unknown");
                    else if (rs.getObject(4) != null && !device.equals(rs.getString(5))) result = CodeUse.refused("used");
                    else if (rs.getObject(4) == null && rs.getLong(3) <= now.toEpochMilli()) result = CodeUse.refused("expired");
                    else {
                        retry = rs.getObject(4) != null;
                        result = new CodeUse(org.rekap.ledger.Role.fromId(rs.getString(1)), rs.getString(2), null);
                    }
                }
            }
            if (result.ok() && !retry) {
                try (PreparedStatement ps = conn.prepareStatement(
                        "UPDATE enrol_code SET used_at = ?, used_by = ? WHERE code_hash = ? AND used_at IS NULL")) {
                    ps.setLong(1, now.toEpochMilli());
                    ps.setString(2, device);
                    ps.setBytes(3, codeHash);
                    if (ps.executeUpdate() != 1) result = CodeUse.refused("used");
                }
            }
            conn.commit();
            return result;
        } catch (SQLException e) {
            rollback();
            throw new StoreException("cannot check an enrolment code: " + e.getMessage(), e);
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
