package org.rekap.ledger;

import java.time.Instant;
import org.rekap.sheet.TallySheet;

/**
 * An officer's tally sheet as accepted, with the client-chosen submission id that makes retries idempotent, the
 * enrolled device that signed it and its Ed25519 signature over {@code SignedPayloads.sheet}. It is logged whether or
 * not it breaks a consistency rule: the rules are re-evaluated from the sheet when replaying.
 */
public record SheetSubmitted(String submissionId, Instant receivedAt, TallySheet sheet, String device, byte[] signature)
        implements Entry {
    public static final String TYPE = "sheet";

    public SheetSubmitted {
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SheetSubmitted s && s.submissionId.equals(submissionId) && s.receivedAt.equals(receivedAt)
                && s.sheet.equals(sheet) && s.device.equals(device) && java.util.Arrays.equals(s.signature, signature);
    }

    @Override
    public int hashCode() {
        return submissionId.hashCode();
    }
}
