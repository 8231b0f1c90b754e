package org.rekap.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP tlog-checkpoint body: the log's origin line, the tree size in decimal (no leading zeros), the base64 root hash
 * of the RFC 6962 tree at that size, each on its own line ending in a newline, then any extension lines (opaque,
 * non-empty; the spec advises against them). For example:
 *
 * <pre>
 * kpu.example/pemilu-2024
 * 8
 * XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=
 * </pre>
 *
 * It is signed as a {@link SignedNote}; see {@link Checkpoints}.
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {
    public Checkpoint {
        requireLine("origin", origin);
        if (size < 0) throw new IllegalArgumentException("tree size " + size + " is negative");
        MerkleHash.requireHash(rootHash);
        rootHash = rootHash.clone();
        extensions = List.copyOf(extensions);
        for (String e : extensions) requireLine("extension line", e);
    }

    /** A checkpoint without extension lines. */
    public static Checkpoint of(String origin, long size, byte[] rootHash) {
        return new Checkpoint(origin, size, rootHash, List.of());
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** The note text: every line, each ending in a newline. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(origin).append('\n').append(size).append('\n');
        sb.append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
        for (String e : extensions) sb.append(e).append('\n');
        return sb.toString();
    }

    /**
     * Parses a checkpoint body strictly: at least three lines each ending in a newline, a non-empty origin, a tree size
     * of decimal digits without leading zeros that fits a signed 64-bit number, a root hash in canonical padded
     * base64 of exactly 32 bytes, non-empty extension lines, no control characters.
     *
     * @throws NoteException ({@link NoteException.Reason#MALFORMED_CHECKPOINT}) naming the bad line
     */
    public static Checkpoint parse(String text) throws NoteException {
        if (!text.endsWith("\n")) throw malformed("it does not end in a newline");
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) throw malformed("it has " + lines.length + " lines, not at least 3");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isEmpty()) throw malformed("line " + (i + 1) + " is empty");
            for (char c : lines[i].toCharArray())
                if (c < 0x20) throw malformed("line " + (i + 1) + " has a control character");
        }
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) throw malformed("the tree size '" + lines[1] + "' is not a"
                + " decimal number without leading zeros");
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw malformed("the tree size " + lines[1] + " is too large");
        }
        byte[] root = NoteKeys.decodeBase64(lines[2]);
        if (root == null || root.length != MerkleHash.SIZE
                || !Base64.getEncoder().encodeToString(root).equals(lines[2]))
            throw malformed("the root hash '" + lines[2] + "' is not the base64 of 32 bytes");
        try {
            return new Checkpoint(lines[0], size, root, Arrays.asList(lines).subList(3, lines.length));
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
    }

    private static void requireLine(String what, String line) {
        if (line.isEmpty()) throw new IllegalArgumentException("the " + what + " is empty");
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20) throw new IllegalArgumentException("the " + what + " has a control character");
            if (Character.isHighSurrogate(c) && i + 1 < line.length() && Character.isLowSurrogate(line.charAt(i + 1)))
                i++;
            else if (Character.isSurrogate(c))
                throw new IllegalArgumentException("the " + what + " has an unpaired surrogate");
        }
    }

    private static NoteException malformed(String why) {
        return new NoteException(NoteException.Reason.MALFORMED_CHECKPOINT, "malformed checkpoint: " + why);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && c.origin.equals(origin) && c.size == size
                && Arrays.equals(c.rootHash, rootHash) && c.extensions.equals(extensions);
    }

    @Override
    public int hashCode() {
        return ((origin.hashCode() * 31 + Long.hashCode(size)) * 31 + Arrays.hashCode(rootHash)) * 31
                + extensions.hashCode();
    }

    @Override
    public String toString() {
        return "Checkpoint[" + text().replace("\n", " | ") + "]";
    }
}
