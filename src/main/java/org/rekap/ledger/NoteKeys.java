package org.rekap.ledger;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The signed-note key rules shared by signers, verifiers and notes: key names, key ids, the algorithm byte, and the
 * encodings Go's {@code golang.org/x/mod/sumdb/note} accepts in key strings and signature lines.
 */
final class NoteKeys {
    /** The signature type (algorithm) byte of Ed25519 in signed notes. */
    static final byte ED25519 = 0x01;
    static final int PUBLIC_KEY_BYTES = 32;
    static final int SEED_BYTES = 32;
    static final int SIGNATURE_BYTES = 64;

    private NoteKeys() {}

    /**
     * A key name is non-empty and contains no Unicode space (as Go's {@code unicode.IsSpace} defines it), no plus, and
     * (as it must fit in a note) no ASCII control character and no unpaired surrogate.
     */
    static boolean isValidName(String name) {
        if (name == null || name.isEmpty()) return false;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (Character.isSurrogate((char) cp) || cp < 0x20 || cp == '+' || isSpace(cp)) return false;
            i += Character.charCount(cp);
        }
        return true;
    }

    static String requireValidName(String name) {
        if (!isValidName(name))
            throw new IllegalArgumentException("key name '" + name + "' is empty or has a space, a plus sign or a"
                    + " control character");
        return name;
    }

    /** Go's {@code unicode.IsSpace}: the Latin-1 spaces and the Unicode White_Space property. */
    private static boolean isSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }

    /** The key id: the first 4 bytes, big-endian, of SHA-256(name || 0x0A || 0x01 || 32-byte Ed25519 public key). */
    static int keyId(String name, byte[] publicKey) {
        byte[] h = MerkleHash.sha256(name.getBytes(StandardCharsets.UTF_8), new byte[] {'\n', ED25519}, publicKey);
        return ((h[0] & 0xFF) << 24) | ((h[1] & 0xFF) << 16) | ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
    }

    static String hex8(int keyId) {
        return String.format("%08x", keyId);
    }

    /** Eight hex digits (either case, as Go accepts them), or null. */
    static Integer parseHex8(String s) {
        if (s.length() != 8) return null;
        for (int i = 0; i < 8; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return null;
        }
        return Integer.parseUnsignedInt(s, 16);
    }

    /** Standard base64 with padding (Go's {@code base64.StdEncoding}), or null when malformed. */
    static byte[] decodeBase64(String s) {
        if (s.length() % 4 != 0) return null;
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** {@code b} with {@code first} in front. */
    static byte[] prefixed(byte first, byte[] b) {
        byte[] out = new byte[b.length + 1];
        out[0] = first;
        System.arraycopy(b, 0, out, 1, b.length);
        return out;
    }

    /** Splits at the first {@code sep}: before and after, or the whole and "" when absent (Go's chop). */
    static String[] chop(String s, char sep) {
        int i = s.indexOf(sep);
        return i < 0 ? new String[] {s, ""} : new String[] {s.substring(0, i), s.substring(i + 1)};
    }
}
