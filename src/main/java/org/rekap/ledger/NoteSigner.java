package org.rekap.ledger;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A signed-note signing key (Ed25519): a key name and a 32-byte seed. Its text form is the one Go's
 * {@code note.GenerateKey} writes, {@code PRIVATE+KEY+<name>+<hex8 key id>+<base64(0x01 || 32-byte seed)>}, and must be
 * kept secret; {@link #toString} never shows it.
 */
public final class NoteSigner {
    private final String name;
    private final byte[] seed;
    private final byte[] publicKey;
    private final int keyId;

    private NoteSigner(String name, byte[] seed) {
        this.name = NoteKeys.requireValidName(name);
        if (seed.length != NoteKeys.SEED_BYTES)
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, not " + seed.length);
        this.seed = seed.clone();
        this.publicKey = new byte[NoteKeys.PUBLIC_KEY_BYTES];
        Ed25519.generatePublicKey(this.seed, 0, publicKey, 0);
        this.keyId = NoteKeys.keyId(name, publicKey);
    }

    /** A new key for {@code name}, its seed drawn from {@code random}. */
    public static NoteSigner generate(String name, SecureRandom random) {
        byte[] seed = new byte[NoteKeys.SEED_BYTES];
        Ed25519.generatePrivateKey(random, seed);
        return new NoteSigner(name, seed);
    }

    /** The key of a name and a 32-byte Ed25519 seed (RFC 8032 private key). */
    public static NoteSigner ofSeed(String name, byte[] seed) {
        return new NoteSigner(name, seed);
    }

    /**
     * Parses a private key string, refusing (as Go's {@code note.NewSigner} does) anything but
     * {@code PRIVATE+KEY+<name>+<8 hex digits>+<base64(0x01 || 32 bytes)>} whose id is that of the derived public key.
     *
     * @throws IllegalArgumentException saying what is wrong, never quoting the key
     */
    public static NoteSigner parse(String privateKey) {
        String[] p1 = NoteKeys.chop(privateKey, '+');
        String[] p2 = NoteKeys.chop(p1[1], '+');
        String[] p3 = NoteKeys.chop(p2[1], '+');
        String[] p4 = NoteKeys.chop(p3[1], '+');
        String name = p3[0];
        Integer id = NoteKeys.parseHex8(p4[0]);
        byte[] key = NoteKeys.decodeBase64(p4[1]);
        if (!p1[0].equals("PRIVATE") || !p2[0].equals("KEY") || !NoteKeys.isValidName(name) || id == null
                || key == null || key.length == 0)
            throw new IllegalArgumentException("not a private key PRIVATE+KEY+<name>+<8 hex digits>+<base64 key>");
        if (key[0] != NoteKeys.ED25519 || key.length != 1 + NoteKeys.SEED_BYTES)
            throw new IllegalArgumentException("the private key is not an Ed25519 key (0x01 and 32 bytes)");
        NoteSigner s = new NoteSigner(name, Arrays.copyOfRange(key, 1, key.length));
        Arrays.fill(key, (byte) 0);
        if (s.keyId != id) throw new IllegalArgumentException("the private key's id is not the id of its name and key");
        return s;
    }

    public String name() {
        return name;
    }

    /** The key id, as an unsigned 32-bit number in an int. */
    public int keyId() {
        return keyId;
    }

    /** The private key string. Secret. */
    public String privateKey() {
        return "PRIVATE+KEY+" + name + "+" + NoteKeys.hex8(keyId) + "+"
                + NoteKeys.base64(NoteKeys.prefixed(NoteKeys.ED25519, seed));
    }

    /** The matching verifier, whose {@link NoteVerifier#verifierKey} is what the log publishes. */
    public NoteVerifier verifier() {
        return NoteVerifier.of(name, publicKey);
    }

    /** The 64-byte Ed25519 signature of {@code message} (deterministic, RFC 8032). */
    public byte[] sign(byte[] message) {
        byte[] sig = new byte[NoteKeys.SIGNATURE_BYTES];
        Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    @Override
    public String toString() {
        return "NoteSigner[" + name + "+" + NoteKeys.hex8(keyId) + "]";
    }
}
