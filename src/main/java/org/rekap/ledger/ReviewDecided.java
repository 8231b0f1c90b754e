package org.rekap.ledger;

import java.time.Instant;
import org.rekap.sheet.TallySheet;

/**
 * A reviewer's decision on one version of a TPS's sheet ({@code sheetSeq}, the entry under review): accept it as
 * written, or correct it ({@code corrected} is then the sheet as it should read). Signed by the reviewer's device
 * over {@code SignedPayloads.review}; the reason is public.
 */
public record ReviewDecided(Instant receivedAt, String decisionId, String reviewer, String tps, String contest,
        long sheetSeq, Verdict verdict, TallySheet corrected, String reason, byte[] signature) implements Entry {
    public static final String TYPE = "review";

    /** Accept the sheet as written, or replace it by a corrected one. */
    public enum Verdict {
        ACCEPT,
        CORRECT;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ReviewDecided {
        signature = signature.clone();
        if ((verdict == Verdict.CORRECT) != (corrected != null))
            throw new IllegalArgumentException("a correction carries a corrected sheet, an acceptance none");
    }

    /** The same decision as received at another time: how a retry is recognised. */
    public ReviewDecided withReceivedAt(Instant at) {
        return new ReviewDecided(at, decisionId, reviewer, tps, contest, sheetSeq, verdict, corrected, reason, signature);
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
        return o instanceof ReviewDecided r && r.receivedAt.equals(receivedAt) && r.decisionId.equals(decisionId)
                && r.reviewer.equals(reviewer) && r.tps.equals(tps) && r.contest.equals(contest) && r.sheetSeq == sheetSeq
                && r.verdict == verdict && java.util.Objects.equals(r.corrected, corrected) && r.reason.equals(reason)
                && java.util.Arrays.equals(r.signature, signature);
    }

    @Override
    public int hashCode() {
        return decisionId.hashCode();
    }
}
