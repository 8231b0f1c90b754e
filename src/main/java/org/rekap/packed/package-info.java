/**
 * Compact primitive structures for the derived state of a national election, where millions of small objects would
 * cost more than the data they hold: {@link org.rekap.packed.VarintRows} (rows of small ints as varints in one byte
 * arena), {@link org.rekap.packed.RowIndex} (an open-addressing index from a key's hash to a row of parallel arrays),
 * and {@link org.rekap.packed.Bulk} (whole arrays to and from a {@link java.io.DataOutput}). No I/O of their own.
 */
package org.rekap.packed;
