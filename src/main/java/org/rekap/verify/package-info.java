/**
 * The independent verifier behind {@code rekap verify}: reads a Rekap site (over HTTP, or a static copy in a
 * directory), checks the signed checkpoint, rebuilds the Merkle tree from the entries, compares every published hash
 * tile, checks every entry (canonical, within the log's rules, signed by its enrolled device), replays the log with the
 * server's own state machine and compares the totals with every published document
 * and download, and proves each new checkpoint consistent with the last one it verified.
 *
 * <p>It depends on the ledger, codec, tally and officer packages (the same code the server runs), never on the web
 * server or the CLI: {@link org.rekap.verify.ProgressListener} is how a caller shows progress.
 */
package org.rekap.verify;
