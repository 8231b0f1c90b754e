package org.rekap.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A {@link HashStore} in memory: per level, the hashes packed in 32 KiB chunks (about 64 bytes per leaf in all).
 * Hashes of a level arrive in index order, without gaps; storing a hash again is allowed only with the same value,
 * since a log never changes a hash it has published. Thread-safe.
 */
public final class InMemoryHashStore implements HashStore {
    private static final int CHUNK_HASHES = 1024;
    private static final int CHUNK_BYTES = CHUNK_HASHES * MerkleHash.SIZE;

    private final List<List<byte[]>> chunksByLevel = new ArrayList<>();
    private final List<Long> countByLevel = new ArrayList<>();

    /** How many hashes level {@code level} holds. */
    public synchronized long count(int level) {
        return level < countByLevel.size() ? countByLevel.get(level) : 0;
    }

    @Override
    public synchronized byte[] hash(int level, long index) {
        if (index < 0 || index >= count(level))
            throw new NoSuchElementException("no hash stored at level " + level + " index " + index);
        byte[] chunk = chunksByLevel.get(level).get((int) (index / CHUNK_HASHES));
        int offset = (int) (index % CHUNK_HASHES) * MerkleHash.SIZE;
        return Arrays.copyOfRange(chunk, offset, offset + MerkleHash.SIZE);
    }

    /**
     * Stores one hash.
     *
     * @throws IllegalStateException if it would leave a gap in its level, or differs from the hash already stored there
     */
    public synchronized void put(StoredHash h) {
        int level = h.level();
        while (countByLevel.size() <= level) {
            countByLevel.add(0L);
            chunksByLevel.add(new ArrayList<>());
        }
        long count = countByLevel.get(level);
        if (h.index() < count) {
            if (!Arrays.equals(hash(level, h.index()), h.hash()))
                throw new IllegalStateException("a different hash is already stored at level " + level + " index "
                        + h.index());
            return;
        }
        if (h.index() > count)
            throw new IllegalStateException("level " + level + " holds " + count + " hashes; index " + h.index()
                    + " would leave a gap");
        List<byte[]> chunks = chunksByLevel.get(level);
        if (count % CHUNK_HASHES == 0) chunks.add(new byte[CHUNK_BYTES]);
        System.arraycopy(h.hash(), 0, chunks.getLast(), (int) (count % CHUNK_HASHES) * MerkleHash.SIZE,
                MerkleHash.SIZE);
        countByLevel.set(level, count + 1);
    }

    /** Stores each hash in order, as {@link #put} does. */
    public synchronized void putAll(Collection<StoredHash> hashes) {
        for (StoredHash h : hashes) put(h);
    }

    /** Writes every level's hashes, for a later {@link #readFrom} (about 64 bytes per leaf). */
    public synchronized void writeTo(java.io.DataOutput out) throws java.io.IOException {
        out.writeInt(countByLevel.size());
        for (int level = 0; level < countByLevel.size(); level++) {
            long count = countByLevel.get(level);
            out.writeLong(count);
            long left = count * MerkleHash.SIZE;
            for (byte[] chunk : chunksByLevel.get(level)) {
                int n = (int) Math.min(left, chunk.length);
                out.write(chunk, 0, n);
                left -= n;
            }
        }
    }

    /**
     * Reads what {@link #writeTo} wrote into an empty store.
     *
     * @throws java.io.IOException when the data is malformed
     */
    public synchronized void readFrom(java.io.DataInput in) throws java.io.IOException {
        if (!countByLevel.isEmpty()) throw new IllegalStateException("the store is not empty");
        int levels = in.readInt();
        if (levels < 0 || levels > 64) throw new java.io.IOException("bad level count " + levels);
        for (int level = 0; level < levels; level++) {
            long count = in.readLong();
            if (count < 0 || count > (1L << 40)) throw new java.io.IOException("bad hash count " + count);
            List<byte[]> chunks = new ArrayList<>();
            for (long left = count * MerkleHash.SIZE; left > 0; left -= CHUNK_BYTES) {
                byte[] chunk = new byte[CHUNK_BYTES];
                in.readFully(chunk, 0, (int) Math.min(left, CHUNK_BYTES));
                chunks.add(chunk);
            }
            chunksByLevel.add(chunks);
            countByLevel.add(count);
        }
    }
}
