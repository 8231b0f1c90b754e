package org.rekap.officer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** Device identities: the id of an Ed25519 public key, and signature checks (BouncyCastle: 8x the JDK's speed). */
public final class DeviceKeys {
    public static final int PUBLIC_KEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;

    private DeviceKeys() {}

    /** The first 16 bytes of SHA-256 of the public key, in lower-case hex. */
    public static String id(byte[] publicKey) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(publicKey);
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the bytes are a valid Ed25519 point (a key that could ever verify). */
    public static boolean validPublicKey(byte[] publicKey) {
        return publicKey.length == PUBLIC_KEY_BYTES && Ed25519.validatePublicKeyFull(publicKey, 0);
    }

    /** The public key of a 32-byte private seed (for clients: the simulator, tests). */
    public static byte[] publicKey(byte[] seed) {
        byte[] pk = new byte[PUBLIC_KEY_BYTES];
        Ed25519.generatePublicKey(seed, 0, pk, 0);
        return pk;
    }

    /** Signs as a device whose private seed this is (for clients: the simulator, tests). */
    public static byte[] sign(byte[] seed, byte[] publicKey, byte[] message) {
        byte[] sig = new byte[SIGNATURE_BYTES];
        Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != PUBLIC_KEY_BYTES || signature.length != SIGNATURE_BYTES) return false;
        try {
            return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
