package org.rekap.officer;

import java.time.Instant;
import java.util.List;
import org.rekap.sheet.Violation;
import org.rekap.tally.SheetStatus;

/** What an officer is told once a sheet is durably in the log; a retry with the same submission id gets it again. */
public record Receipt(long seq, String submissionId, String tps, String contest, Instant receivedAt,
        SheetStatus status, List<Violation> violations) {
    public Receipt {
        violations = List.copyOf(violations);
    }
}
