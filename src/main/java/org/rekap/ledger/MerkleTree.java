package org.rekap.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 6962 Merkle tree of a given size over the complete-subtree hashes in a {@link HashStore}: its root, the
 * inclusion proof of a leaf (RFC 6962 section 2.1.1, "audit path") and the consistency proof between two sizes
 * (section 2.1.2), for any size up to {@link #size()}. The proofs are those of RFC 6962 / RFC 9162, which Go's
 * {@code golang.org/x/mod/sumdb/tlog} ({@code ProveRecord}, {@code ProveTree}) also produces.
 *
 * <p>A tree is an immutable view: to grow it, store the hashes {@link #hashesToAppend} returns, then use
 * {@link #withSize}. So a reader holding a tree never sees a size whose hashes are not stored yet.
 *
 * <p>The static {@code verify...} methods and {@link #rootOf} use no store: a verifier runs them on downloaded data.
 */
public final class MerkleTree {
    private final HashStore store;
    private final long size;

    /** The tree of the first {@code size} leaves whose complete-subtree hashes {@code store} holds. */
    public MerkleTree(HashStore store, long size) {
        if (size < 0) throw new IllegalArgumentException("tree size " + size + " is negative");
        this.store = store;
        this.size = size;
    }

    public long size() {
        return size;
    }

    public HashStore store() {
        return store;
    }

    /** The same store seen at another size (once the hashes up to it are stored). */
    public MerkleTree withSize(long newSize) {
        return new MerkleTree(store, newSize);
    }

    /**
     * The hashes to store so that the store holds a tree of {@code size() + leafHashes.size()} leaves: each leaf hash,
     * and the hash of each subtree it completes, in order (per level, in index order). Reads the store, does not
     * change it, nor this tree.
     */
    public List<StoredHash> hashesToAppend(List<byte[]> leafHashes) {
        List<StoredHash> out = new ArrayList<>(leafHashes.size() * 2);
        // Hashes of this batch that a later leaf of the batch needs, before the caller stores them.
        Map<Long, byte[]> pendingLeft = new HashMap<>();
        long n = size;
        for (byte[] leaf : leafHashes) {
            MerkleHash.requireHash(leaf);
            byte[] h = leaf.clone();
            out.add(new StoredHash(0, n, h));
            // Each trailing 1 bit of n closes a subtree: merge with its left sibling, level by level.
            long index = n;
            int level = 0;
            while ((index & 1) == 1) {
                byte[] left = pendingLeft.remove(key(level, index - 1));
                if (left == null) left = store.hash(level, index - 1);
                h = MerkleHash.node(left, h);
                level++;
                index >>= 1;
                out.add(new StoredHash(level, index, h));
            }
            pendingLeft.put(key(level, index), h);
            n++;
        }
        return out;
    }

    private static long key(int level, long index) {
        // index < 2^(63 - level), so (index << 6) | level is unique for the levels in use.
        return (index << 6) | level;
    }

    /** The root hash of the tree of the first {@code treeSize} leaves, {@code treeSize <= size()}. */
    public byte[] root(long treeSize) {
        checkSize(treeSize);
        return treeSize == 0 ? MerkleHash.empty() : rangeHash(0, treeSize);
    }

    /** The root hash of this tree. */
    public byte[] root() {
        return root(size);
    }

    /** The leaf hash of leaf {@code index}. */
    public byte[] leafHash(long index) {
        if (index < 0 || index >= size) throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        return store.hash(0, index);
    }

    /**
     * The inclusion proof of leaf {@code index} in the tree of the first {@code treeSize} leaves: the sibling hashes
     * from the leaf up to the root (RFC 6962 PATH(m, D[n])).
     */
    public List<byte[]> inclusionProof(long index, long treeSize) {
        checkSize(treeSize);
        if (index < 0 || index >= treeSize)
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + treeSize);
        List<byte[]> proof = new ArrayList<>();
        path(index, 0, treeSize, proof);
        return proof;
    }

    private void path(long index, long lo, long hi, List<byte[]> out) {
        if (hi - lo == 1) return;
        long k = largestPowerOfTwoBelow(hi - lo);
        if (index < lo + k) {
            path(index, lo, lo + k, out);
            out.add(rangeHash(lo + k, hi));
        } else {
            path(index, lo + k, hi, out);
            out.add(rangeHash(lo, lo + k));
        }
    }

    /**
     * The consistency proof that the tree of {@code newSize} leaves extends the tree of {@code oldSize} leaves
     * (RFC 6962 PROOF(m, D[n])). Empty when {@code oldSize} is 0 or equals {@code newSize}.
     */
    public List<byte[]> consistencyProof(long oldSize, long newSize) {
        checkSize(newSize);
        if (oldSize < 0 || oldSize > newSize)
            throw new IllegalArgumentException("no consistency proof from size " + oldSize + " to " + newSize);
        List<byte[]> proof = new ArrayList<>();
        if (oldSize > 0 && oldSize < newSize) subproof(oldSize, 0, newSize, true, proof);
        return proof;
    }

    private void subproof(long m, long lo, long hi, boolean wholeOldTree, List<byte[]> out) {
        if (m == hi) {
            // The verifier knows the old root; any other complete piece of the old tree must be sent.
            if (!wholeOldTree) out.add(rangeHash(lo, hi));
            return;
        }
        long k = largestPowerOfTwoBelow(hi - lo);
        if (m <= lo + k) {
            subproof(m, lo, lo + k, wholeOldTree, out);
            out.add(rangeHash(lo + k, hi));
        } else {
            subproof(m, lo + k, hi, false, out);
            out.add(rangeHash(lo, lo + k));
        }
    }

    /**
     * The Merkle tree hash of leaves {@code [lo, hi)}, where {@code lo} is a multiple of the largest power of two not
     * above {@code hi - lo} (true of every range RFC 6962's recursion visits): the stored hashes of its maximal
     * complete subtrees, left to right, folded from the right.
     */
    private byte[] rangeHash(long lo, long hi) {
        List<byte[]> parts = new ArrayList<>(64);
        for (long pos = lo; pos < hi; ) {
            int level = 63 - Long.numberOfLeadingZeros(hi - pos);
            if ((pos & ((1L << level) - 1)) != 0) throw new IllegalStateException("unaligned range " + lo + ".." + hi);
            parts.add(store.hash(level, pos >>> level));
            pos += 1L << level;
        }
        byte[] h = parts.getLast();
        for (int i = parts.size() - 2; i >= 0; i--) h = MerkleHash.node(parts.get(i), h);
        return h;
    }

    private void checkSize(long treeSize) {
        if (treeSize < 0 || treeSize > size)
            throw new IllegalArgumentException("tree size " + treeSize + " is outside 0.." + size);
    }

    /** The largest power of two strictly below {@code n}, for {@code n >= 2}: RFC 6962's split point. */
    private static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }

    /**
     * The root hash of a tree with these leaf hashes, without a store (a verifier's rebuild, or the root of a tile's
     * hashes). Keeps one hash per level: memory is logarithmic in the number of leaves.
     */
    public static byte[] rootOf(List<byte[]> leafHashes) {
        if (leafHashes.isEmpty()) return MerkleHash.empty();
        byte[][] stack = new byte[64][];
        long n = 0;
        for (byte[] leaf : leafHashes) {
            MerkleHash.requireHash(leaf);
            byte[] h = leaf;
            int level = 0;
            for (long i = n; (i & 1) == 1; i >>= 1) {
                h = MerkleHash.node(stack[level], h);
                stack[level++] = null;
            }
            stack[level] = h;
            n++;
        }
        // The complete subtrees left over, one per 1 bit of n; fold them from the smallest (rightmost) up.
        byte[] root = null;
        for (int level = 0; level < 64; level++) {
            if (stack[level] == null) continue;
            root = root == null ? stack[level] : MerkleHash.node(stack[level], root);
        }
        return root;
    }

    /**
     * Whether {@code proof} shows that the tree of {@code treeSize} leaves with root {@code root} has {@code leafHash}
     * at {@code index} (RFC 9162 section 2.1.3.2). False on any malformed input, never an exception.
     */
    public static boolean verifyInclusion(long index, long treeSize, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= treeSize || !isHash(leafHash) || !isHash(root) || !allHashes(proof)) return false;
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHash.node(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = MerkleHash.node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    /**
     * Whether {@code proof} shows that the tree of {@code newSize} leaves with root {@code newRoot} extends the tree of
     * {@code oldSize} leaves with root {@code oldRoot} (RFC 9162 section 2.1.4.2). Equal sizes need an empty proof and
     * equal roots; size 0 needs an empty proof and the empty tree's root. False on any malformed input.
     */
    public static boolean verifyConsistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot,
            List<byte[]> proof) {
        if (oldSize < 0 || oldSize > newSize || !isHash(oldRoot) || !isHash(newRoot) || !allHashes(proof)) return false;
        if (oldSize == 0) return proof.isEmpty() && Arrays.equals(oldRoot, MerkleHash.empty());
        if (oldSize == newSize) return proof.isEmpty() && Arrays.equals(oldRoot, newRoot);
        if (proof.isEmpty()) return false;
        List<byte[]> path = proof;
        if (Long.bitCount(oldSize) == 1) {
            path = new ArrayList<>(proof.size() + 1);
            path.add(oldRoot);
            path.addAll(proof);
        }
        long fn = oldSize - 1;
        long sn = newSize - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.getFirst();
        byte[] sr = path.getFirst();
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHash.node(c, fr);
                sr = MerkleHash.node(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = MerkleHash.node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(fr, oldRoot) && Arrays.equals(sr, newRoot);
    }

    private static boolean isHash(byte[] h) {
        return h != null && h.length == MerkleHash.SIZE;
    }

    private static boolean allHashes(List<byte[]> proof) {
        if (proof == null) return false;
        for (byte[] p : proof) if (!isHash(p)) return false;
        return true;
    }
}
