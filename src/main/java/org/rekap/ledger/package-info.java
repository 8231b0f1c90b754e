/**
 * The log: every state-changing event is an {@link org.rekap.ledger.Entry}, appended with a sequence number and
 * one canonical byte encoding ({@link org.rekap.ledger.LogEntry}). Everything else is derived from it. No I/O.
 *
 * <p>The transparency log over those bytes, byte-exact to the C2SP specs and RFC 6962 so that other tools (Go's
 * {@code golang.org/x/mod/sumdb/tlog} and {@code sumdb/note}, witnesses) can check it:
 *
 * <ul>
 *   <li>{@link org.rekap.ledger.MerkleHash}: RFC 6962 leaf, node and empty-tree hashes.
 *   <li>{@link org.rekap.ledger.HashStore} (kept by the server; {@link org.rekap.ledger.InMemoryHashStore} in memory)
 *       holds the hashes of complete subtrees, {@link org.rekap.ledger.StoredHash}; {@link org.rekap.ledger.MerkleTree}
 *       appends, computes roots, inclusion and consistency proofs, and verifies proofs without a store.
 *   <li>{@link org.rekap.ledger.TileLayout}: the C2SP tlog-tiles paths and which {@link org.rekap.ledger.Tile}s a tree
 *       size has, hash tile bytes; {@link org.rekap.ledger.EntryBundle}: the entry bundle format.
 *   <li>{@link org.rekap.ledger.Checkpoint}: the C2SP tlog-checkpoint body; {@link org.rekap.ledger.Checkpoints} signs
 *       and opens it as a C2SP {@link org.rekap.ledger.SignedNote} with Ed25519 keys
 *       ({@link org.rekap.ledger.NoteSigner}, {@link org.rekap.ledger.NoteVerifier}); refusals are
 *       {@link org.rekap.ledger.NoteException}s with a reason.
 * </ul>
 */
package org.rekap.ledger;
