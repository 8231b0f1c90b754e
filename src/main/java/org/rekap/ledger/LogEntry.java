package org.rekap.ledger;

/**
 * An entry as the log holds it: its position (0-based, gapless) and its canonical bytes, which are what the Merkle
 * tree hashes and what verifiers download.
 */
public record LogEntry(long seq, byte[] bytes) {}
