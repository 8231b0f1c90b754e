package org.rekap.ledger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 6962 (section 2.1) Merkle tree hashing with SHA-256: a leaf is {@code SHA-256(0x00 || entry)}, an interior node
 * {@code SHA-256(0x01 || left || right)}, and the empty tree {@code SHA-256()} (of no bytes). Every hash is 32 bytes.
 */
public final class MerkleHash {
    /** The length of every hash, in bytes. */
    public static final int SIZE = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(MerkleHash::newDigest);

    private MerkleHash() {}

    /** The leaf hash of one log entry's bytes. */
    public static byte[] leaf(byte[] entry) {
        MessageDigest md = SHA256.get();
        md.update(LEAF_PREFIX);
        md.update(entry);
        return md.digest();
    }

    /** The hash of an interior node from its two children's hashes. */
    public static byte[] node(byte[] left, byte[] right) {
        requireHash(left);
        requireHash(right);
        MessageDigest md = SHA256.get();
        md.update(NODE_PREFIX);
        md.update(left);
        md.update(right);
        return md.digest();
    }

    /** The root of the tree with no leaves: SHA-256 of the empty string. */
    public static byte[] empty() {
        return SHA256.get().digest();
    }

    /** Plain SHA-256, for the key ids of signed notes. */
    static byte[] sha256(byte[]... parts) {
        MessageDigest md = SHA256.get();
        for (byte[] p : parts) md.update(p);
        return md.digest();
    }

    static void requireHash(byte[] h) {
        if (h == null || h.length != SIZE)
            throw new IllegalArgumentException("a hash is " + SIZE + " bytes, not " + (h == null ? "null" : h.length));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
