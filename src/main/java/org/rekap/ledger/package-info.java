/**
 * The log: every state-changing event is an {@link org.rekap.ledger.Entry}, appended with a sequence number and
 * one canonical byte encoding ({@link org.rekap.ledger.LogEntry}). Everything else is derived from it. No I/O.
 */
package org.rekap.ledger;
