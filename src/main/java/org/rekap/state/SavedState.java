package org.rekap.state;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.rekap.codec.ContestsJson;
import org.rekap.contest.Election;
import org.rekap.ledger.InMemoryHashStore;
import org.rekap.ledger.MerkleTree;
import org.rekap.officer.Intake;
import org.rekap.region.RegionTree;
import org.rekap.store.ElectionStore;
import org.rekap.tally.Tally;

/**
 * The derived state of a node at one log size, saved in the store so that a restart need not replay the whole log:
 * the tree hashes, the tally and the officer state machine. Layout (big-endian, {@link java.io.DataOutput}):
 * magic, version, the election's fingerprint (SHA-256 of its name, contests and region tree), the log size N and
 * the Merkle root at N, then the hashes, the tally and the intake, then a trailer and the CRC-32C of everything
 * before it. It is never trusted alone: {@link Restore} uses it only when it parses whole, its checksum holds, its
 * hashes give its root, and that root is the stored tree's root at N; otherwise the log is replayed.
 */
public final class SavedState {
    private static final int MAGIC = 0x524b5354; // "RKST"
    private static final int TRAILER = 0x454e4421; // "END!"
    static final int VERSION = 4; // 2: devices keep the entry that enrolled them; 4: packed tables, bulk arrays

    /** State read back, not yet checked against the log. */
    record Loaded(long size, byte[] root, Tally tally, Intake intake, InMemoryHashStore hashes) {}

    private SavedState() {}

    /**
     * Writes the state at {@code tree.size()} into the store. The caller holds the tally's monitor, so no entry is
     * applied meanwhile, and the tally, intake and hashes all reflect exactly the first {@code tree.size()} entries.
     */
    static void save(ElectionStore store, byte[] fingerprint, Tally tally, Intake intake, InMemoryHashStore hashes,
            MerkleTree tree) {
        store.saveState(rows -> write(rows, fingerprint, tally, intake, hashes, tree));
    }

    /** Writes the state at {@code tree.size()} to {@code rows}, as {@link #save} does. */
    static void write(java.io.OutputStream rows, byte[] fingerprint, Tally tally, Intake intake, InMemoryHashStore hashes,
            MerkleTree tree) throws IOException {
        CheckedOutputStream checked = new CheckedOutputStream(rows, new CRC32C());
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(checked, 1 << 16));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.write(fingerprint);
        out.writeLong(tree.size());
        out.write(tree.root());
        hashes.writeTo(out);
        tally.writeState(out);
        intake.writeState(out);
        out.writeInt(TRAILER);
        out.flush();
        out.writeLong(checked.getChecksum().getValue());
        out.flush();
    }

    /**
     * Reads saved state into fresh objects for {@code election}.
     *
     * @throws IOException saying why it cannot be used: unreadable, truncated, another version or election, or a
     *     checksum that does not hold
     */
    static Loaded read(InputStream raw, Election election, byte[] fingerprint) throws IOException {
        ChecksummedInput checked = new ChecksummedInput(raw);
        DataInputStream in = new DataInputStream(checked);
        if (in.readInt() != MAGIC) throw new IOException("not saved Rekap state");
        int version = in.readInt();
        if (version != VERSION) throw new IOException("saved by another version of the format (" + version + ")");
        byte[] fp = new byte[32];
        in.readFully(fp);
        if (!Arrays.equals(fp, fingerprint)) throw new IOException("saved for another election set-up");
        long size = in.readLong();
        byte[] root = new byte[32];
        in.readFully(root);
        InMemoryHashStore hashes = new InMemoryHashStore();
        hashes.readFrom(in);
        Tally tally = new Tally(election);
        tally.readState(in);
        Intake intake = new Intake(tally);
        intake.readState(in);
        if (in.readInt() != TRAILER) throw new IOException("the saved state does not end where it should");
        long expected = checked.checksum();
        if (in.readLong() != expected) throw new IOException("the saved state's checksum does not hold (corrupted)");
        if (in.read() != -1) throw new IOException("the saved state has bytes after its end");
        if (tally.logSize() != size || hashes.count(0) != size)
            throw new IOException("the saved state's parts disagree on the log size");
        return new Loaded(size, root, tally, intake, hashes);
    }

    /** SHA-256 of what the log's meaning depends on: the election's name, its contests and every region. */
    public static byte[] fingerprint(String electionName, Election election) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        RegionTree tree = election.tree();
        md.update(ContestsJson.write(new ContestsJson.Setup(electionName, tree.name(RegionTree.ROOT), election.contests())));
        // Rows are hashed in blocks of about 64 KB: one digest update per row (912,000 at national scale) cost more
        // than the hashing. The bytes hashed, and so the fingerprint, are the same.
        StringBuilder rows = new StringBuilder(1 << 16);
        for (int i = 0; i < tree.size(); i++) {
            rows.append(tree.code(i)).append('\t').append(tree.parent(i)).append('\t').append(tree.level(i)).append('\t')
                    .append(tree.name(i)).append('\t').append(tree.dpt(i)).append('\n');
            if (rows.length() >= 1 << 16) {
                md.update(rows.toString().getBytes(StandardCharsets.UTF_8));
                rows.setLength(0);
            }
        }
        md.update(rows.toString().getBytes(StandardCharsets.UTF_8));
        return md.digest();
    }

    /**
     * Buffers its source and keeps the CRC-32C of the bytes it has handed out (not of those only read ahead), so
     * the checksum can be compared just before the stored one is read.
     */
    private static final class ChecksummedInput extends InputStream {
        private final InputStream source;
        private final byte[] buf = new byte[1 << 16];
        private final CRC32C crc = new CRC32C();
        private int pos, limit;

        ChecksummedInput(InputStream source) {
            this.source = source;
        }

        long checksum() {
            return crc.getValue();
        }

        private boolean fill() throws IOException {
            if (pos < limit) return true;
            int n = source.read(buf, 0, buf.length);
            if (n <= 0) return false;
            pos = 0;
            limit = n;
            return true;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) return -1;
            crc.update(buf, pos, 1);
            return buf[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (!fill()) return -1;
            int n = Math.min(len, limit - pos);
            System.arraycopy(buf, pos, b, off, n);
            crc.update(buf, pos, n);
            pos += n;
            return n;
        }
    }
}
