/**
 * Incremental sums of counted sheets up the region tree, per contest, with held sheets ("perlu diperiksa") counted
 * apart. Derived state only: {@link org.rekap.tally.Tally} can always be rebuilt by replaying the log. No I/O.
 */
package org.rekap.tally;
