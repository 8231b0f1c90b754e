package org.rekap.ledger;

import java.time.Instant;
import org.rekap.sheet.TallySheet;

/**
 * An officer's tally sheet as accepted, with the client-chosen submission id that makes retries idempotent. It is
 * logged whether or not it breaks a consistency rule: the rules are re-evaluated from the sheet when replaying.
 */
public record SheetSubmitted(String submissionId, Instant receivedAt, TallySheet sheet) implements Entry {
    public static final String TYPE = "sheet";

    @Override
    public String type() {
        return TYPE;
    }
}
