package org.rekap.tally;

/** Where a TPS's sheet for a contest stands. */
public enum SheetStatus {
    /** No sheet yet ("belum masuk"). */
    NONE,
    /** In the totals. */
    COUNTED,
    /** Breaks a consistency rule: shown, but kept out of the totals until reviewed ("perlu diperiksa"). */
    HELD
}
