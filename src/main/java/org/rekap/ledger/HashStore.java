package org.rekap.ledger;

/**
 * Where the hashes of a log's complete subtrees are kept. The hash at level {@code L}, index {@code N} is the Merkle
 * tree hash of the leaves {@code [N * 2^L, (N + 1) * 2^L)}: level 0 holds the leaf hashes, level 1 the hashes of
 * aligned pairs, and so on. A tree of size {@code s} has every such hash whose range ends at or before {@code s}, and
 * no other ({@link MerkleTree#hashesToAppend} says which ones each append adds).
 *
 * <p>Implementations may keep them in memory ({@link InMemoryHashStore}) or durably next to the entries.
 */
public interface HashStore {
    /**
     * The stored hash (32 bytes, the caller may keep or change the array).
     *
     * @throws java.util.NoSuchElementException (or another unchecked exception) when it is not stored
     */
    byte[] hash(int level, long index);
}
