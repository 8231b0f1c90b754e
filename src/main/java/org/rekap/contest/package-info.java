/** Contests (PPWP, DPD, DPR, ...), their districts and choices, and which contests each TPS votes in. No I/O. */
package org.rekap.contest;
