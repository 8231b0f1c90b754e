package org.rekap.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

    // ---- A naive RFC 6962 (section 2.1) implementation, straight from the definitions, sharing no code with ours ----

    private static byte[] sha256(byte prefix, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            if (prefix >= 0) md.update(prefix);
            for (byte[] p : parts) md.update(p);
            return md.digest();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** k: the largest power of two smaller than n. */
    private static int split(int n) {
        int k = 1;
        while (k * 2 < n) k *= 2;
        return k;
    }

    /** MTH(D[lo:hi]). */
    private static byte[] mth(List<byte[]> d, int lo, int hi) {
        int n = hi - lo;
        if (n == 0) return sha256((byte) -1);
        if (n == 1) return sha256((byte) 0, d.get(lo));
        int k = split(n);
        return sha256((byte) 1, mth(d, lo, lo + k), mth(d, lo + k, hi));
    }

    /** PATH(m, D[lo:hi]). */
    private static List<byte[]> naivePath(int m, List<byte[]> d, int lo, int hi) {
        List<byte[]> out = new ArrayList<>();
        int n = hi - lo;
        if (n == 1) return out;
        int k = split(n);
        if (m < k) {
            out.addAll(naivePath(m, d, lo, lo + k));
            out.add(mth(d, lo + k, hi));
        } else {
            out.addAll(naivePath(m - k, d, lo + k, hi));
            out.add(mth(d, lo, lo + k));
        }
        return out;
    }

    /** SUBPROOF(m, D[lo:hi], b). */
    private static List<byte[]> naiveSubproof(int m, List<byte[]> d, int lo, int hi, boolean b) {
        List<byte[]> out = new ArrayList<>();
        int n = hi - lo;
        if (m == n) {
            if (!b) out.add(mth(d, lo, hi));
            return out;
        }
        int k = split(n);
        if (m <= k) {
            out.addAll(naiveSubproof(m, d, lo, lo + k, b));
            out.add(mth(d, lo + k, hi));
        } else {
            out.addAll(naiveSubproof(m - k, d, lo + k, hi, false));
            out.add(mth(d, lo, lo + k));
        }
        return out;
    }

    // ---- helpers ----

    private static MerkleTree build(List<byte[]> entries) {
        InMemoryHashStore store = new InMemoryHashStore();
        MerkleTree tree = new MerkleTree(store, 0);
        store.putAll(tree.hashesToAppend(entries.stream().map(MerkleHash::leaf).toList()));
        return tree.withSize(entries.size());
    }

    private static List<byte[]> flipBit(List<byte[]> proof, int element, int bit) {
        List<byte[]> copy = new ArrayList<>();
        for (byte[] p : proof) copy.add(p.clone());
        copy.get(element)[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }

    private static List<byte[]> plus(List<byte[]> proof, byte[] extra) {
        List<byte[]> copy = new ArrayList<>(proof);
        copy.add(extra);
        return copy;
    }

    // ---- published vectors ----

    @Test
    void rootsOfTheReferenceLeavesAreThePublishedOnes() {
        MerkleTree tree = build(CtVectors.LEAVES);
        assertThat(tree.root(0)).isEqualTo(MerkleHash.empty());
        for (int n = 1; n <= 8; n++) assertThat(tree.root(n)).as("root of %d", n).isEqualTo(CtVectors.ROOTS.get(n - 1));
        assertThat(MerkleTree.rootOf(List.of())).isEqualTo(MerkleHash.empty());
        for (int n = 1; n <= 8; n++)
            assertThat(MerkleTree.rootOf(CtVectors.LEAVES.subList(0, n).stream().map(MerkleHash::leaf).toList()))
                    .isEqualTo(CtVectors.ROOTS.get(n - 1));
    }

    @Test
    void inclusionProofsAreThePublishedOnesAndVerify() {
        MerkleTree tree = build(CtVectors.LEAVES);
        for (CtVectors.Inclusion v : CtVectors.INCLUSIONS) {
            assertThat(tree.inclusionProof(v.index(), v.size())).as("proof of %d in %d", v.index(), v.size())
                    .containsExactlyElementsOf(v.proof());
            byte[] leaf = MerkleHash.leaf(CtVectors.LEAVES.get((int) v.index()));
            byte[] root = CtVectors.ROOTS.get((int) v.size() - 1);
            assertThat(MerkleTree.verifyInclusion(v.index(), v.size(), leaf, v.proof(), root)).isTrue();
            assertThat(MerkleTree.verifyInclusion(v.index() ^ 1, v.size(), leaf, v.proof(), root)).isFalse();
            assertThat(MerkleTree.verifyInclusion(v.index(), v.size(), leaf, flipBit(v.proof(), 0, 3), root)).isFalse();
        }
    }

    @Test
    void consistencyProofsAreThePublishedOnesAndVerify() {
        MerkleTree tree = build(CtVectors.LEAVES);
        for (CtVectors.Consistency v : CtVectors.CONSISTENCIES) {
            assertThat(tree.consistencyProof(v.oldSize(), v.newSize())).as("%d to %d", v.oldSize(), v.newSize())
                    .containsExactlyElementsOf(v.proof());
            byte[] oldRoot = CtVectors.ROOTS.get((int) v.oldSize() - 1);
            byte[] newRoot = CtVectors.ROOTS.get((int) v.newSize() - 1);
            assertThat(MerkleTree.verifyConsistency(v.oldSize(), v.newSize(), oldRoot, newRoot, v.proof())).isTrue();
            if (!v.proof().isEmpty()) {
                assertThat(MerkleTree.verifyConsistency(v.oldSize(), v.newSize(), newRoot, oldRoot, v.proof())).isFalse();
                assertThat(MerkleTree.verifyConsistency(v.oldSize(), v.newSize(), oldRoot, newRoot,
                        flipBit(v.proof(), v.proof().size() - 1, 4))).isFalse();
            }
        }
    }

    @Test
    void verifiesARealCertificateTransparencyLogsProofs() {
        byte[] leaf = MerkleHash.leaf(CtVectors.ARGON_LEAF_10000);
        assertThat(MerkleTree.verifyInclusion(10000, CtVectors.ARGON_SIZE, leaf, CtVectors.ARGON_INCLUSION_10000,
                CtVectors.ARGON_ROOT)).isTrue();
        assertThat(MerkleTree.verifyInclusion(10001, CtVectors.ARGON_SIZE, leaf, CtVectors.ARGON_INCLUSION_10000,
                CtVectors.ARGON_ROOT)).isFalse();
        assertThat(MerkleTree.verifyConsistency(CtVectors.ARGON_OLD_SIZE, CtVectors.ARGON_SIZE,
                CtVectors.ARGON_OLD_ROOT, CtVectors.ARGON_ROOT, CtVectors.ARGON_CONSISTENCY)).isTrue();
        assertThat(MerkleTree.verifyConsistency(CtVectors.ARGON_OLD_SIZE + 1, CtVectors.ARGON_SIZE,
                CtVectors.ARGON_OLD_ROOT, CtVectors.ARGON_ROOT, CtVectors.ARGON_CONSISTENCY)).isFalse();
        assertThat(MerkleTree.verifyConsistency(CtVectors.ARGON_OLD_SIZE, CtVectors.ARGON_SIZE,
                CtVectors.ARGON_OLD_ROOT, CtVectors.ARGON_ROOT, flipBit(CtVectors.ARGON_CONSISTENCY, 0, 0))).isFalse();
    }

    // ---- against the naive implementation, over many sizes ----

    @Test
    void everyProofOfManySizesVerifiesAgainstNaiveRootsAndTamperedOnesDoNot() {
        Random random = new Random(20240214);
        int max = 1000;
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            byte[] e = new byte[1 + random.nextInt(24)];
            random.nextBytes(e);
            entries.add(e);
        }
        List<byte[]> roots = new ArrayList<>();
        for (int n = 0; n <= max; n++) roots.add(mth(entries, 0, n));
        List<byte[]> leaves = entries.stream().map(MerkleHash::leaf).toList();

        // Grow the tree in batches of random sizes, checking every root on the way.
        InMemoryHashStore store = new InMemoryHashStore();
        MerkleTree tree = new MerkleTree(store, 0);
        while (tree.size() < max) {
            int batch = Math.min(1 + random.nextInt(40), max - (int) tree.size());
            store.putAll(tree.hashesToAppend(leaves.subList((int) tree.size(), (int) tree.size() + batch)));
            tree = tree.withSize(tree.size() + batch);
        }
        for (int n = 0; n <= max; n++) assertThat(tree.root(n)).as("root of %d", n).isEqualTo(roots.get(n));

        TreeSet<Integer> sizes = new TreeSet<>(List.of(127, 128, 129, 255, 256, 257, 511, 512, 513, 999, 1000));
        for (int n = 1; n <= 70; n++) sizes.add(n);
        while (sizes.size() < 120) sizes.add(71 + random.nextInt(max - 71));

        byte[] other = sha256((byte) 7, new byte[] {42});
        for (int n : sizes) {
            boolean exhaustive = n <= 70;
            for (int i = 0; i < n; i++) {
                List<byte[]> proof = tree.inclusionProof(i, n);
                if (n <= 40) assertThat(proof).containsExactlyElementsOf(naivePath(i, entries, 0, n));
                assertThat(MerkleTree.verifyInclusion(i, n, leaves.get(i), proof, roots.get(n)))
                        .as("leaf %d of %d", i, n).isTrue();
                if (exhaustive || random.nextInt(n) < 20) checkTamperedInclusion(i, n, leaves, roots, proof, other, max);
            }
            for (int m = 0; m <= n; m++) {
                List<byte[]> proof = tree.consistencyProof(m, n);
                if (n <= 40 && m > 0) assertThat(proof).containsExactlyElementsOf(naiveSubproof(m, entries, 0, n, true));
                assertThat(MerkleTree.verifyConsistency(m, n, roots.get(m), roots.get(n), proof))
                        .as("%d to %d", m, n).isTrue();
                if (m > 0 && m < n && (exhaustive || random.nextInt(n) < 20))
                    checkTamperedConsistency(m, n, roots, proof, other, max);
            }
        }
    }

    private static void checkTamperedInclusion(int i, int n, List<byte[]> leaves, List<byte[]> roots,
            List<byte[]> proof, byte[] other, int max) {
        byte[] leaf = leaves.get(i);
        byte[] root = roots.get(n);
        for (int e = 0; e < proof.size(); e++)
            assertThat(MerkleTree.verifyInclusion(i, n, leaf, flipBit(proof, e, (e * 37) % 256), root))
                    .as("leaf %d of %d, bit flipped in element %d", i, n, e).isFalse();
        if (i > 0) assertThat(MerkleTree.verifyInclusion(i - 1, n, leaf, proof, root)).isFalse();
        if (i + 1 < n) assertThat(MerkleTree.verifyInclusion(i + 1, n, leaf, proof, root)).isFalse();
        // The proof for size n does not prove the leaf is in the tree of another size.
        if (n - 1 > i) assertThat(MerkleTree.verifyInclusion(i, n - 1, leaf, proof, roots.get(n - 1))).isFalse();
        if (n + 1 <= max) assertThat(MerkleTree.verifyInclusion(i, n + 1, leaf, proof, roots.get(n + 1))).isFalse();
        assertThat(MerkleTree.verifyInclusion(i, n, other, proof, root)).isFalse();
        assertThat(MerkleTree.verifyInclusion(i, n, leaf, proof, other)).isFalse();
        assertThat(MerkleTree.verifyInclusion(i, n, leaf, plus(proof, other), root)).isFalse();
        if (!proof.isEmpty())
            assertThat(MerkleTree.verifyInclusion(i, n, leaf, proof.subList(0, proof.size() - 1), root)).isFalse();
    }

    private static void checkTamperedConsistency(int m, int n, List<byte[]> roots, List<byte[]> proof, byte[] other,
            int max) {
        byte[] oldRoot = roots.get(m);
        byte[] newRoot = roots.get(n);
        for (int e = 0; e < proof.size(); e++)
            assertThat(MerkleTree.verifyConsistency(m, n, oldRoot, newRoot, flipBit(proof, e, (e * 53) % 256)))
                    .as("%d to %d, bit flipped in element %d", m, n, e).isFalse();
        // Another old or new size, with that size's true root.
        if (m - 1 > 0) assertThat(MerkleTree.verifyConsistency(m - 1, n, roots.get(m - 1), newRoot, proof)).isFalse();
        if (m + 1 < n) assertThat(MerkleTree.verifyConsistency(m + 1, n, roots.get(m + 1), newRoot, proof)).isFalse();
        if (n - 1 > m) assertThat(MerkleTree.verifyConsistency(m, n - 1, oldRoot, roots.get(n - 1), proof)).isFalse();
        if (n + 1 <= max) assertThat(MerkleTree.verifyConsistency(m, n + 1, oldRoot, roots.get(n + 1), proof)).isFalse();
        assertThat(MerkleTree.verifyConsistency(m, n, newRoot, oldRoot, proof)).isFalse();
        assertThat(MerkleTree.verifyConsistency(m, n, other, newRoot, proof)).isFalse();
        assertThat(MerkleTree.verifyConsistency(m, n, oldRoot, other, proof)).isFalse();
        assertThat(MerkleTree.verifyConsistency(m, n, oldRoot, newRoot, plus(proof, other))).isFalse();
        assertThat(MerkleTree.verifyConsistency(m, n, oldRoot, newRoot, proof.subList(0, proof.size() - 1))).isFalse();
        assertThat(MerkleTree.verifyConsistency(m, n, oldRoot, newRoot, List.of())).isFalse();
    }

    // ---- edges and refusals ----

    @Test
    void trivialConsistencyNeedsAnEmptyProofAndMatchingRoots() {
        byte[] a = MerkleHash.leaf(new byte[] {1});
        byte[] b = MerkleHash.leaf(new byte[] {2});
        assertThat(MerkleTree.verifyConsistency(3, 3, a, a, List.of())).isTrue();
        assertThat(MerkleTree.verifyConsistency(3, 3, a, b, List.of())).isFalse();
        assertThat(MerkleTree.verifyConsistency(3, 3, a, a, List.of(a))).isFalse();
        assertThat(MerkleTree.verifyConsistency(0, 5, MerkleHash.empty(), b, List.of())).isTrue();
        assertThat(MerkleTree.verifyConsistency(0, 5, a, b, List.of())).isFalse();
        assertThat(MerkleTree.verifyConsistency(4, 3, a, b, List.of(a))).isFalse();
    }

    @Test
    void malformedVerificationInputsAreFalseNotExceptions() {
        byte[] h = MerkleHash.leaf(new byte[0]);
        assertThat(MerkleTree.verifyInclusion(0, 0, h, List.of(), h)).isFalse();
        assertThat(MerkleTree.verifyInclusion(-1, 2, h, List.of(h), h)).isFalse();
        assertThat(MerkleTree.verifyInclusion(0, 1, h, List.of(), new byte[5])).isFalse();
        assertThat(MerkleTree.verifyInclusion(0, 2, h, List.of(new byte[31]), h)).isFalse();
        assertThat(MerkleTree.verifyInclusion(0, 1, h, List.of(), h)).isTrue();
        assertThat(MerkleTree.verifyConsistency(1, 2, h, h, List.of(new byte[33]))).isFalse();
    }

    @Test
    void sizesBeyondTheTreeAndMissingHashesAreRefused() {
        MerkleTree tree = build(CtVectors.LEAVES.subList(0, 5));
        assertThatThrownBy(() -> tree.root(6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.inclusionProof(5, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.consistencyProof(3, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.consistencyProof(4, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.withSize(9).root()).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void appendReturnsEachCompletedSubtreeOnceAndInIndexOrder() {
        InMemoryHashStore store = new InMemoryHashStore();
        MerkleTree tree = new MerkleTree(store, 0);
        List<byte[]> leaves = CtVectors.LEAVES.stream().map(MerkleHash::leaf).toList();
        store.putAll(tree.hashesToAppend(leaves.subList(0, 3)));
        tree = tree.withSize(3);
        List<StoredHash> next = tree.hashesToAppend(leaves.subList(3, 8));
        // Leaf 3 completes [2,4) and [0,4); leaves 4..7 add [4,6), [6,8), [4,8) and [0,8).
        assertThat(next).extracting(h -> h.level() + "/" + h.index()).containsExactly(
                "0/3", "1/1", "2/0", "0/4", "0/5", "1/2", "0/6", "0/7", "1/3", "2/1", "3/0");
        assertThat(next.getLast().hash()).isEqualTo(CtVectors.ROOTS.get(7));
        assertThat(tree.size()).isEqualTo(3);
        store.putAll(next);
        assertThat(store.count(0)).isEqualTo(8);
        assertThat(store.count(3)).isEqualTo(1);
    }

    @Test
    void theStoreRefusesGapsAndChangedHashes() {
        InMemoryHashStore store = new InMemoryHashStore();
        byte[] a = MerkleHash.leaf(new byte[] {1});
        byte[] b = MerkleHash.leaf(new byte[] {2});
        store.put(new StoredHash(0, 0, a));
        store.put(new StoredHash(0, 0, a));
        assertThatThrownBy(() -> store.put(new StoredHash(0, 0, b))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.put(new StoredHash(0, 2, b))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.hash(0, 1)).isInstanceOf(NoSuchElementException.class);
        // Many chunks: every hash comes back.
        for (int i = 1; i < 5000; i++) store.put(new StoredHash(0, i, MerkleHash.leaf(new byte[] {(byte) i, (byte) (i >> 8)})));
        for (int i = 1; i < 5000; i += 97)
            assertThat(store.hash(0, i)).isEqualTo(MerkleHash.leaf(new byte[] {(byte) i, (byte) (i >> 8)}));
    }
}
