package org.rekap.ledger;

/** A signed note or checkpoint that is refused: malformed, or not signed (validly) by a known key. */
public final class NoteException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why it was refused. */
    public enum Reason {
        /** Not a well-formed signed note (encoding, control characters, blank line, signature lines, limits). */
        MALFORMED_NOTE,
        /** Well formed, but no signature is by a known key (name and key id). */
        NO_KNOWN_SIGNATURE,
        /** A signature by a known key does not verify: the whole note is refused. */
        INVALID_SIGNATURE,
        /** The note's text is not a well-formed tlog-checkpoint. */
        MALFORMED_CHECKPOINT,
        /** A checkpoint of another log (origin line) than the one expected. */
        WRONG_ORIGIN
    }

    private final Reason reason;

    public NoteException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
