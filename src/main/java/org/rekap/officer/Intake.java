package org.rekap.officer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rekap.codec.EntryCodec;
import org.rekap.contest.Election;
import org.rekap.ledger.Entry;
import org.rekap.ledger.LogEntry;
import org.rekap.ledger.SheetSubmitted;
import org.rekap.sheet.ConsistencyRules;
import org.rekap.sheet.FieldError;
import org.rekap.sheet.Violation;
import org.rekap.tally.SheetStatus;
import org.rekap.tally.Tally;

/**
 * The log's state machine for submissions. {@link #decide} and {@link #apply} are called in log order by one thread;
 * replaying the log through {@link #replay} rebuilds exactly the state that live submissions built.
 */
public final class Intake {
    private final Election election;
    private final Tally tally;
    private final Map<String, Receipt> bySubmission = new HashMap<>();
    private final Map<String, SheetSubmitted> entryBySubmission = new HashMap<>();

    public Intake(Tally tally) {
        this.tally = tally;
        this.election = tally.election();
    }

    public Tally tally() {
        return tally;
    }

    /** Whether this submission should be appended. Its shape has already been checked by the caller. */
    public Decision decide(SheetSubmitted s) {
        Receipt earlier = bySubmission.get(s.submissionId());
        if (earlier != null) {
            if (entryBySubmission.get(s.submissionId()).sheet().equals(s.sheet())) return new Decision.Repeat(earlier);
            return new Decision.Refuse(409, List.of(new FieldError("submissionId", "reused",
                    "submission id " + s.submissionId() + " was already used for a different sheet (entry "
                            + earlier.seq() + "); choose a new id for a new sheet")));
        }
        int tps = election.tree().index(s.sheet().tps());
        long current = tally.currentSeq(s.sheet().contest(), tps);
        if (current >= 0)
            return new Decision.Refuse(409, List.of(new FieldError("sheet.tps", "already_submitted",
                    "TPS " + s.sheet().tps() + " already has a sheet for " + s.sheet().contest() + " (entry " + current
                            + "); only a reviewer may correct it")));
        return new Decision.Accept();
    }

    /** Applies an entry that is (about to be) in the log at {@code seq}. */
    public Receipt apply(long seq, Entry entry) {
        return switch (entry) {
            case SheetSubmitted s -> {
                List<Violation> violations = ConsistencyRules.check(s.sheet());
                tally.set(seq, s.sheet(), violations.isEmpty());
                Receipt r = new Receipt(seq, s.submissionId(), s.sheet().tps(), s.sheet().contest(), s.receivedAt(),
                        violations.isEmpty() ? SheetStatus.COUNTED : SheetStatus.HELD, violations);
                bySubmission.put(s.submissionId(), r);
                entryBySubmission.put(s.submissionId(), s);
                yield r;
            }
        };
    }

    /** Rebuilds state from a stored entry; a stored entry that does not decode means the log is corrupt. */
    public void replay(LogEntry e) {
        Entry entry;
        try {
            entry = EntryCodec.decode(e.bytes());
        } catch (IllegalArgumentException ex) {
            throw new IllegalStateException("log entry " + e.seq() + " is unreadable: " + ex.getMessage(), ex);
        }
        apply(e.seq(), entry);
        tally.advanceTo(e.seq() + 1);
    }
}
