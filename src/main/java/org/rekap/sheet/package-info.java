/**
 * The tally sheet (formulir C.Hasil), its consistency rules and its fit to a contest. Pure functions, no I/O:
 * a sheet that breaks a {@link org.rekap.sheet.Rule} is an anomaly to review, one that fails
 * {@link org.rekap.sheet.SheetShape} is refused.
 */
package org.rekap.sheet;
