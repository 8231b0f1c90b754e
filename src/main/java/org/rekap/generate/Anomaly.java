package org.rekap.generate;

/**
 * How a synthetic sheet breaks the consistency rules, modelled on what went wrong with real 2024 sheets. The sheet
 * still fits its contest and TPS ({@link org.rekap.sheet.SheetShape} accepts it): every count stays between 0 and ten
 * times the TPS's voter cap.
 */
public enum Anomaly {
    /**
     * One count of one choice read with an extra digit in front or a digit repeated (17 as 817, 84 as 884, 1 as
     * 441), while the totals written on the sheet stay as they were.
     */
    MISREAD_DIGIT,
    /** The written total of valid votes, or of votes cast, is off by 1 to 9. */
    TOTAL_OFF,
    /** On one voter row (registered or voted; DPT or the total row) L + P differs from the written total by 1 to 9. */
    SEX_SUM_OFF
}
