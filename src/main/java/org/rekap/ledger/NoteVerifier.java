package org.rekap.ledger;

import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A signed-note verifier key (Ed25519): a key name, its key id, and the public key. Its text form, the "verifier key"
 * that a log publishes, is {@code <name>+<hex8 key id>+<base64(0x01 || 32-byte public key)>}, e.g.
 * {@code PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW}.
 */
public final class NoteVerifier {
    private final String name;
    private final int keyId;
    private final byte[] publicKey;
    private final Ed25519.PublicPoint point;

    private NoteVerifier(String name, byte[] publicKey) {
        this.name = NoteKeys.requireValidName(name);
        if (publicKey.length != NoteKeys.PUBLIC_KEY_BYTES)
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, not " + publicKey.length);
        this.publicKey = publicKey.clone();
        this.point = Ed25519.validatePublicKeyPartialExport(this.publicKey, 0);
        if (point == null) throw new IllegalArgumentException("the public key is not a point of Ed25519");
        this.keyId = NoteKeys.keyId(name, this.publicKey);
    }

    /** The verifier of a name and a 32-byte Ed25519 public key. */
    public static NoteVerifier of(String name, byte[] publicKey) {
        return new NoteVerifier(name, publicKey);
    }

    /**
     * Parses a verifier key string, refusing (as Go's {@code note.NewVerifier} does) a bad name, a key id that is not 8
     * hex digits or not the id of the name and key, a key that is not {@code 0x01} and 32 bytes.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static NoteVerifier parse(String verifierKey) {
        String[] first = NoteKeys.chop(verifierKey, '+');
        String[] rest = NoteKeys.chop(first[1], '+');
        String name = first[0];
        Integer id = NoteKeys.parseHex8(rest[0]);
        byte[] key = NoteKeys.decodeBase64(rest[1]);
        if (!NoteKeys.isValidName(name) || id == null || key == null || key.length == 0)
            throw new IllegalArgumentException("not a verifier key <name>+<8 hex digits>+<base64 key>");
        if (key[0] != NoteKeys.ED25519 || key.length != 1 + NoteKeys.PUBLIC_KEY_BYTES)
            throw new IllegalArgumentException("the verifier key is not an Ed25519 key (0x01 and 32 bytes)");
        NoteVerifier v = new NoteVerifier(name, Arrays.copyOfRange(key, 1, key.length));
        if (v.keyId != id)
            throw new IllegalArgumentException("the verifier key's id " + rest[0] + " is not the id of its name and"
                    + " key (" + NoteKeys.hex8(v.keyId) + ")");
        return v;
    }

    public String name() {
        return name;
    }

    /** The key id, as an unsigned 32-bit number in an int. */
    public int keyId() {
        return keyId;
    }

    /** The 32-byte Ed25519 public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The verifier key string. */
    public String verifierKey() {
        return name + "+" + NoteKeys.hex8(keyId) + "+" + NoteKeys.base64(NoteKeys.prefixed(NoteKeys.ED25519, publicKey));
    }

    /** Whether {@code signature} (64 bytes, without the key id) is this key's Ed25519 signature of {@code message}. */
    public boolean verify(byte[] message, byte[] signature) {
        return signature.length == NoteKeys.SIGNATURE_BYTES
                && Ed25519.verify(signature, 0, point, message, 0, message.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteVerifier v && v.name.equals(name) && Arrays.equals(v.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return verifierKey();
    }
}
