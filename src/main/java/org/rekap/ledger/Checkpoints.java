package org.rekap.ledger;

/**
 * Signing and opening checkpoints: a {@link Checkpoint} body in a {@link SignedNote}. The tlog-checkpoint spec says the
 * log's key name SHOULD be its origin line; a log also MUST NOT sign two checkpoints that no consistency proof joins.
 */
public final class Checkpoints {
    private Checkpoints() {}

    /** The signed note of a checkpoint, signed by {@code signer}. */
    public static byte[] sign(Checkpoint checkpoint, NoteSigner signer) {
        return SignedNote.sign(checkpoint.text(), signer);
    }

    /**
     * Verifies a signed checkpoint with the log's key and parses its body.
     *
     * @throws NoteException if the note is malformed, not signed by that key, signed badly, or not a checkpoint
     */
    public static Checkpoint open(byte[] note, NoteVerifier verifier) throws NoteException {
        return Checkpoint.parse(SignedNote.open(note, verifier));
    }

    /**
     * As {@link #open(byte[], NoteVerifier)}, and refuses ({@link NoteException.Reason#WRONG_ORIGIN}) a checkpoint of
     * another log than {@code origin}.
     */
    public static Checkpoint open(byte[] note, NoteVerifier verifier, String origin) throws NoteException {
        Checkpoint c = open(note, verifier);
        if (!c.origin().equals(origin))
            throw new NoteException(NoteException.Reason.WRONG_ORIGIN, "the checkpoint is of log '" + c.origin()
                    + "', not '" + origin + "'");
        return c;
    }
}
