package org.rekap.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A C2SP signed note: a text ending in a newline, a blank line, then one or more signature lines
 * {@code — <key name> <base64(4-byte big-endian key id || signature)>} (an em dash U+2014 and a space first). The
 * signature signs the text's UTF-8 bytes, final newline included. A note is UTF-8 with no ASCII control character but
 * the newline; the text may hold blank lines, since it ends at the note's last blank line.
 *
 * <p>{@link #open} verifies as Go's {@code note.Open} does: signatures by unknown keys (name and id) are ignored, a
 * signature by a known key that fails refuses the whole note, and at least one known key must have signed. A note
 * with more than {@value #MAX_SIGNATURES} signature lines (the spec requires accepting at least 16; Go stops at 100)
 * or more than {@value #MAX_NOTE_BYTES} bytes is refused as malformed.
 *
 * @param text the note text, ending in a newline
 * @param signatures the signature lines, in order
 */
public record SignedNote(String text, List<Signature> signatures) {
    public static final int MAX_SIGNATURES = 100;
    public static final int MAX_NOTE_BYTES = 1 << 20;

    private static final String SIGNATURE_PREFIX = "\u2014 ";

    /**
     * One signature line.
     *
     * @param name the key name
     * @param keyId the key id (unsigned 32-bit, in an int)
     * @param signature the signature bytes after the key id
     */
    public record Signature(String name, int keyId, byte[] signature) {
        public Signature {
            NoteKeys.requireValidName(name);
            signature = signature.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        /** The line, without its newline. */
        String line() {
            byte[] idAndSig = ByteBuffer.allocate(4 + signature.length).putInt(keyId).put(signature).array();
            return SIGNATURE_PREFIX + name + " " + NoteKeys.base64(idAndSig);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Signature s && s.name.equals(name) && s.keyId == keyId
                    && Arrays.equals(s.signature, signature);
        }

        @Override
        public int hashCode() {
            return (name.hashCode() * 31 + keyId) * 31 + Arrays.hashCode(signature);
        }

        @Override
        public String toString() {
            return line();
        }
    }

    public SignedNote {
        requireValidText(text);
        signatures = List.copyOf(signatures);
        if (signatures.isEmpty()) throw new IllegalArgumentException("a signed note has at least one signature");
    }

    /** The note's bytes: text, blank line, signature lines. */
    public byte[] encode() {
        StringBuilder sb = new StringBuilder(text).append('\n');
        for (Signature s : signatures) sb.append(s.line()).append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Signs {@code text} with each signer, in order.
     *
     * @throws IllegalArgumentException if the text does not end in a newline, holds an ASCII control character other
     *     than newline or an unpaired surrogate, or the note would exceed the limits
     */
    public static byte[] sign(String text, NoteSigner... signers) {
        requireValidText(text);
        if (signers.length == 0 || signers.length > MAX_SIGNATURES)
            throw new IllegalArgumentException("a note has 1.." + MAX_SIGNATURES + " signatures, not " + signers.length);
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        List<Signature> sigs = new ArrayList<>();
        for (NoteSigner s : signers) sigs.add(new Signature(s.name(), s.keyId(), s.sign(message)));
        byte[] note = new SignedNote(text, sigs).encode();
        if (note.length > MAX_NOTE_BYTES)
            throw new IllegalArgumentException("the note would be " + note.length + " bytes, more than "
                    + MAX_NOTE_BYTES);
        return note;
    }

    private static void requireValidText(String text) {
        if (text.isEmpty() || text.charAt(text.length() - 1) != '\n')
            throw new IllegalArgumentException("a note's text ends in a newline");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\n')
                throw new IllegalArgumentException("a note's text has no control character but newline; found U+"
                        + String.format("%04X", (int) c) + " at " + i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("a note's text is valid UTF-8; found an unpaired surrogate at " + i);
            }
        }
    }

    /**
     * Parses a note's syntax, verifying nothing.
     *
     * @throws NoteException ({@link NoteException.Reason#MALFORMED_NOTE}) saying what is wrong
     */
    public static SignedNote parse(byte[] note) throws NoteException {
        if (note.length > MAX_NOTE_BYTES) throw malformed("it is " + note.length + " bytes, more than " + MAX_NOTE_BYTES);
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(note))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed("it is not valid UTF-8");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n')
                throw malformed("it has control character U+" + String.format("%04X", (int) c) + " at char " + i);
        }
        int split = s.lastIndexOf("\n\n");
        if (split < 0) throw malformed("it has no blank line before its signatures");
        String text = s.substring(0, split + 1);
        String block = s.substring(split + 2);
        if (block.isEmpty()) throw malformed("it has no signature lines");
        if (!block.endsWith("\n")) throw malformed("its last signature line does not end in a newline");
        List<Signature> sigs = new ArrayList<>();
        for (String line : block.substring(0, block.length() - 1).split("\n", -1)) {
            if (sigs.size() == MAX_SIGNATURES) throw malformed("it has more than " + MAX_SIGNATURES + " signatures");
            if (!line.startsWith(SIGNATURE_PREFIX))
                throw malformed("signature line " + (sigs.size() + 1) + " does not start with an em dash and a space");
            String[] nameAndSig = NoteKeys.chop(line.substring(SIGNATURE_PREFIX.length()), ' ');
            byte[] raw = NoteKeys.decodeBase64(nameAndSig[1]);
            if (!NoteKeys.isValidName(nameAndSig[0]) || raw == null || raw.length < 5)
                throw malformed("signature line " + (sigs.size() + 1) + " is not '— <key name> <base64 signature>'");
            int keyId = ByteBuffer.wrap(raw).getInt();
            sigs.add(new Signature(nameAndSig[0], keyId, Arrays.copyOfRange(raw, 4, raw.length)));
        }
        return new SignedNote(text, sigs);
    }

    /** {@link #open(byte[], List)} with these verifiers. */
    public static String open(byte[] note, NoteVerifier... known) throws NoteException {
        return open(note, List.of(known));
    }

    /**
     * Parses a note and verifies it against the known keys, returning its text.
     *
     * @throws NoteException when the note is malformed, a known key's signature fails, or no known key signed it
     * @throws IllegalArgumentException when two known verifiers share a name and key id but not a key
     */
    public static String open(byte[] note, List<NoteVerifier> known) throws NoteException {
        Map<String, NoteVerifier> byNameAndId = new HashMap<>();
        for (NoteVerifier v : known) {
            NoteVerifier before = byNameAndId.putIfAbsent(nameAndId(v.name(), v.keyId()), v);
            if (before != null && !before.equals(v))
                throw new IllegalArgumentException("two known keys are named " + nameAndId(v.name(), v.keyId()));
        }
        SignedNote parsed = parse(note);
        byte[] message = parsed.text().getBytes(StandardCharsets.UTF_8);
        Set<String> seen = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        int verified = 0;
        for (Signature s : parsed.signatures()) {
            String key = nameAndId(s.name(), s.keyId());
            NoteVerifier v = byNameAndId.get(key);
            if (v == null) {
                unknown.add(key);
                continue;
            }
            if (!seen.add(key)) continue; // as Go: only a key's first signature counts
            if (!v.verify(message, s.signature))
                throw new NoteException(NoteException.Reason.INVALID_SIGNATURE, "invalid signature for key " + key);
            verified++;
        }
        if (verified == 0)
            throw new NoteException(NoteException.Reason.NO_KNOWN_SIGNATURE, "the note has no signature by a known key"
                    + " (it is signed by " + String.join(", ", unknown) + "; known: "
                    + String.join(", ", byNameAndId.keySet()) + ")");
        return parsed.text();
    }

    private static String nameAndId(String name, int keyId) {
        return name + "+" + NoteKeys.hex8(keyId);
    }

    private static NoteException malformed(String why) {
        return new NoteException(NoteException.Reason.MALFORMED_NOTE, "malformed signed note: " + why);
    }
}
