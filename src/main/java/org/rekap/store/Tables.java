package org.rekap.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.rekap.codec.ContestsJson;
import org.rekap.codec.InvalidInputException;
import org.rekap.ledger.LogEntry;
import org.rekap.ledger.Role;
import org.rekap.ledger.StoredHash;
import org.rekap.region.Region;
import org.rekap.region.TpsNumbers;

/**
 * The SQL both stores run: the tables have the same names, columns and meaning in SQLite and PostgreSQL (see the
 * migrations), so only opening, transactions and concurrency differ between the stores. Every method works inside
 * the caller's transaction and neither commits nor rolls back.
 */
final class Tables {
    private Tables() {}

    /** Work done inside one transaction on the given connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** The next sequence number; the log is gapless from 0, so the largest plus one, found in the primary key. */
    static long logSize(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(seq) FROM log_entry")) {
            rs.next();
            long max = rs.getLong(1);
            return rs.wasNull() ? 0 : max + 1;
        }
    }

    /** True when the log has any entry (read in the caller's transaction, not from a cached size). */
    static boolean logHasEntries(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1 FROM log_entry LIMIT 1")) {
            return rs.next();
        }
    }

    static void saveSetup(Connection c, Setup setup) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM region");
            st.executeUpdate("DELETE FROM election");
        }
        // TPS are folded into their parent's row (numbers and DPT as text): ten times fewer rows to write and read.
        Map<String, int[][]> tpsOf = TpsFolding.fold(setup.regions());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO region(position, code, parent_code, level, name,"
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
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO election(key, value) VALUES ('contests', ?)")) {
            ps.setBytes(1, contests);
            ps.executeUpdate();
        }
    }

    /** @throws StoreException when the stored contests no longer parse */
    static Optional<Setup> loadSetup(Connection c) throws SQLException {
        byte[] contests;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT value FROM election WHERE key = 'contests'")) {
            if (!rs.next()) return Optional.empty();
            contests = rs.getBytes(1);
        }
        List<Region> regions = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT code, parent_code, level, name, tps_numbers, tps_dpt FROM region ORDER BY position")) {
            while (rs.next()) {
                String code = rs.getString(1);
                regions.add(new Region(code, rs.getString(2), rs.getString(3), rs.getString(4), 0));
                int[] numbers = TpsNumbers.parse(rs.getString(5));
                if (numbers.length > 0) regions.addAll(TpsNumbers.rows(code, numbers, TpsFolding.split(rs.getString(6), numbers.length)));
            }
        }
        try {
            ContestsJson.Setup s = ContestsJson.read(contests);
            return Optional.of(new Setup(s.name(), s.rootName(), regions, s.contests()));
        } catch (InvalidInputException e) {
            throw new StoreException("the stored contests are unreadable: " + e.getMessage(), e);
        }
    }

    /** Inserts entries numbered from {@code firstSeq}; returns the next sequence number. */
    static long insertEntries(Connection c, long firstSeq, List<byte[]> entries) throws SQLException {
        long seq = firstSeq;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO log_entry(seq, body) VALUES (?, ?)")) {
            for (byte[] e : entries) {
                ps.setLong(1, seq++);
                ps.setBytes(2, e);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return seq;
    }

    static void insertHashes(Connection c, List<StoredHash> hashes) throws SQLException {
        if (hashes.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tree_hash(level, idx, hash) VALUES (?, ?, ?)")) {
            for (StoredHash h : hashes) {
                ps.setInt(1, h.level());
                ps.setLong(2, h.index());
                ps.setBytes(3, h.hash());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static void readHashes(Connection c, int fetchSize, Consumer<StoredHash> consumer) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setFetchSize(fetchSize);
            try (ResultSet rs = st.executeQuery("SELECT level, idx, hash FROM tree_hash ORDER BY level, idx")) {
                while (rs.next()) consumer.accept(new StoredHash(rs.getInt(1), rs.getLong(2), rs.getBytes(3)));
            }
        }
    }

    /**
     * The hashes a tree of more than {@code size} leaves has beyond the tree of the first {@code size}: per level L,
     * indices from {@code size >> L} on, one indexed range query per level. A level with none means none above it.
     */
    static void readHashesAfter(Connection c, int fetchSize, long size, Consumer<StoredHash> consumer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT idx, hash FROM tree_hash WHERE level = ? AND idx >= ? ORDER BY idx")) {
            ps.setFetchSize(fetchSize);
            for (int level = 0; level < 63; level++) {
                ps.setInt(1, level);
                ps.setLong(2, size >> level);
                boolean any = false;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        any = true;
                        consumer.accept(new StoredHash(level, rs.getLong(1), rs.getBytes(2)));
                    }
                }
                if (!any) return;
            }
        }
    }

    /** One stored tree hash, or null. */
    static byte[] treeHash(Connection c, int level, long index) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM tree_hash WHERE level = ? AND idx = ?")) {
            ps.setInt(1, level);
            ps.setLong(2, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    /** Size of one row of saved derived state. */
    static final int STATE_CHUNK = 4 << 20;

    /** Replaces the saved derived state with what {@code writer} writes, cut into rows of {@link #STATE_CHUNK}. */
    static void saveState(Connection c, ElectionStore.StateWriter writer) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM derived_state");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO derived_state(chunk, data) VALUES (?, ?)")) {
            java.io.OutputStream rows = new java.io.OutputStream() {
                private final byte[] buf = new byte[STATE_CHUNK];
                private int used, chunk;

                @Override
                public void write(int b) throws java.io.IOException {
                    if (used == buf.length) flushRow();
                    buf[used++] = (byte) b;
                }

                @Override
                public void write(byte[] b, int off, int len) throws java.io.IOException {
                    while (len > 0) {
                        if (used == buf.length) flushRow();
                        int n = Math.min(len, buf.length - used);
                        System.arraycopy(b, off, buf, used, n);
                        used += n;
                        off += n;
                        len -= n;
                    }
                }

                @Override
                public void close() throws java.io.IOException {
                    if (used > 0) flushRow();
                }

                private void flushRow() throws java.io.IOException {
                    try {
                        ps.setInt(1, chunk++);
                        ps.setBytes(2, java.util.Arrays.copyOf(buf, used));
                        ps.executeUpdate();
                    } catch (SQLException e) {
                        throw new java.io.IOException(e);
                    }
                    used = 0;
                }
            };
            try (rows) {
                writer.write(rows);
            } catch (java.io.IOException e) {
                if (e.getCause() instanceof SQLException s) throw s;
                throw new StoreException("cannot save the derived state: " + e.getMessage(), e);
            }
        }
    }

    /** Streams the saved derived state to {@code reader}; empty when none is saved. */
    static <T> Optional<T> readState(Connection c, ElectionStore.StateReader<T> reader) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setFetchSize(2);
            try (ResultSet rs = st.executeQuery("SELECT data FROM derived_state ORDER BY chunk")) {
                if (!rs.next()) return Optional.empty();
                byte[][] current = {rs.getBytes(1)};
                java.io.InputStream in = new java.io.InputStream() {
                    private int pos;

                    @Override
                    public int read() throws java.io.IOException {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws java.io.IOException {
                        if (len == 0) return 0;
                        while (current[0] != null && pos == current[0].length) {
                            try {
                                current[0] = rs.next() ? rs.getBytes(1) : null;
                            } catch (SQLException e) {
                                throw new java.io.IOException(e);
                            }
                            pos = 0;
                        }
                        if (current[0] == null) return -1;
                        int n = Math.min(len, current[0].length - pos);
                        System.arraycopy(current[0], pos, b, off, n);
                        pos += n;
                        return n;
                    }
                };
                try {
                    return Optional.ofNullable(reader.read(in));
                } catch (java.io.IOException e) {
                    if (e.getCause() instanceof SQLException s) throw s;
                    return Optional.ofNullable(reader.unreadable(e));
                }
            }
        }
    }

    static void readLog(Connection c, int fetchSize, long from, long to, Consumer<LogEntry> consumer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, body FROM log_entry WHERE seq >= ? AND seq < ? ORDER BY seq")) {
            ps.setFetchSize(fetchSize);
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) consumer.accept(new LogEntry(rs.getLong(1), rs.getBytes(2)));
            }
        }
    }

    static void issueCodes(Connection c, List<EnrolmentCode> codes) throws SQLException {
        try (PreparedStatement expire = c.prepareStatement(
                        "UPDATE enrol_code SET expires_at = 0 WHERE role = ? AND scope = ? AND used_at IS NULL");
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO enrol_code(code_hash, role, scope, expires_at) VALUES (?, ?, ?, ?)")) {
            for (EnrolmentCode code : codes) {
                expire.setString(1, code.role().id());
                expire.setString(2, code.scope());
                expire.addBatch();
                insert.setBytes(1, code.codeHash());
                insert.setString(2, code.role().id());
                insert.setString(3, code.scope());
                insert.setLong(4, code.expiresAt().toEpochMilli());
                insert.addBatch();
            }
            expire.executeBatch();
            insert.executeBatch();
        }
    }

    /**
     * Marks a code used. The conditional UPDATE is the decision, so it is atomic on its own: of concurrent callers
     * (threads or processes) exactly one changes the row; the others find it used. Only then is the row read, to
     * say what it enrols or why it was refused.
     */
    /**
     * One conditional UPDATE decides, atomically on both databases, who spends a code; the same device presenting it
     * again is accepted (its enrolment may have been lost to a crash or a dropped answer after the code was spent).
     */
    static CodeUse useCode(Connection c, byte[] codeHash, String device, Instant now) throws SQLException {
        int marked;
        try (PreparedStatement ps = c.prepareStatement("UPDATE enrol_code SET used_at = ?, used_by = ? "
                + "WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?")) {
            ps.setLong(1, now.toEpochMilli());
            ps.setString(2, device);
            ps.setBytes(3, codeHash);
            ps.setLong(4, now.toEpochMilli());
            marked = ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT role, scope, used_at, used_by FROM enrol_code WHERE code_hash = ?")) {
            ps.setBytes(1, codeHash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return CodeUse.refused("unknown");
                rs.getLong(3);
                boolean used = !rs.wasNull();
                if (marked == 1 || (used && device.equals(rs.getString(4))))
                    return new CodeUse(Role.fromId(rs.getString(1)), rs.getString(2), null);
                return CodeUse.refused(used ? "used" : "expired");
            }
        }
    }
}
