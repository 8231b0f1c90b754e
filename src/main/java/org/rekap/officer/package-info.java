/**
 * The officer's write path: {@link org.rekap.officer.Intake} decides, in log order, what each submission becomes;
 * {@link org.rekap.officer.LogWriter} batches accepted entries into durable group commits.
 */
package org.rekap.officer;
