package org.rekap.officer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rekap.codec.EntryCodec;
import org.rekap.contest.Election;
import org.rekap.ledger.DeviceEnrolled;
import org.rekap.ledger.DeviceRevoked;
import org.rekap.ledger.Entry;
import org.rekap.ledger.LogEntry;
import org.rekap.ledger.ReviewDecided;
import org.rekap.ledger.Role;
import org.rekap.ledger.SheetSubmitted;
import org.rekap.region.RegionTree;
import org.rekap.sheet.ConsistencyRules;
import org.rekap.sheet.FieldError;
import org.rekap.sheet.TallySheet;
import org.rekap.sheet.Violation;
import org.rekap.tally.SheetStatus;
import org.rekap.tally.Tally;

/**
 * The log's state machine. {@link #decide} and {@link #apply} are called in log order by one thread (the log writer);
 * replaying the log through {@link #replay} rebuilds exactly the state that live requests built. Signatures are
 * checked by the caller before {@link #decide} (they need no state but the device's key, and cost CPU); here only
 * what depends on the order of entries is decided: who is enrolled and not revoked, what is already submitted, which
 * version a review is about.
 */
public final class Intake {
    private final Election election;
    private final Tally tally;
    private final Map<String, Receipt> bySubmission = new HashMap<>();
    private final Map<String, SheetSubmitted> entryBySubmission = new HashMap<>();
    private final Map<String, Receipt> byDecision = new HashMap<>();
    private final Map<String, ReviewDecided> entryByDecision = new HashMap<>();
    /** Read by request threads (signature checks, listings), written here. */
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final Map<String, HeldSheet> held = new ConcurrentHashMap<>();

    /** A sheet awaiting review: its current version's log position, the sheet as it stands and its broken rules. */
    public record HeldSheet(long seq, TallySheet sheet, List<Violation> violations) {}

    public Intake(Tally tally) {
        this.tally = tally;
        this.election = tally.election();
    }

    public Tally tally() {
        return tally;
    }

    /** The device with this id, or null; safe to call from any thread. */
    public Device device(String id) {
        return devices.get(id);
    }

    /** Sheets held for review in a region's subtree, by TPS code then contest; safe to call from any thread. */
    public List<HeldSheet> held(int region) {
        RegionTree tree = election.tree();
        List<HeldSheet> out = new ArrayList<>();
        for (HeldSheet h : held.values()) if (tree.within(tree.index(h.sheet().tps()), region)) out.add(h);
        out.sort((a, b) -> a.sheet().tps().equals(b.sheet().tps()) ? a.sheet().contest().compareTo(b.sheet().contest())
                : a.sheet().tps().compareTo(b.sheet().tps()));
        return out;
    }

    /** Whether this entry should be appended. Its shape and signature have already been checked by the caller. */
    public Decision decide(Entry e) {
        return switch (e) {
            case SheetSubmitted s -> decideSheet(s);
            case DeviceEnrolled d -> {
                Device known = devices.get(d.device());
                // The same phone retrying the same enrolment (its answer was lost) gets its receipt again.
                if (known != null && !known.revoked() && known.role() == d.role() && known.scope().equals(d.scope()))
                    yield new Decision.Repeat(new Receipt(known.seq(), known.id(), known.scope(), "", known.enrolledAt(),
                            SheetStatus.NONE, List.of()));
                if (known != null)
                    yield refuse(409, "publicKey", "already_enrolled", "this key is already enrolled as device " + d.device());
                int scope = election.tree().index(d.scope());
                // An officer serves one TPS; a reviewer a region. A code for anything else was issued in error.
                if (scope < 0 || election.tree().isTps(scope) != (d.role() == Role.OFFICER))
                    yield refuse(422, "code", "bad_scope", "the code was issued for '" + d.scope() + "', which is not a "
                            + (d.role() == Role.OFFICER ? "TPS" : "region") + " of this election");
                yield new Decision.Accept();
            }
            case DeviceRevoked r -> {
                Device d = devices.get(r.device());
                if (d == null) yield refuse(404, "device", "unknown_device", "no device " + r.device() + " is enrolled");
                if (d.revoked()) yield refuse(409, "device", "already_revoked", "device " + r.device() + " is already revoked");
                yield new Decision.Accept();
            }
            case ReviewDecided r -> decideReview(r);
        };
    }

    private Decision decideSheet(SheetSubmitted s) {
        Receipt earlier = bySubmission.get(s.submissionId());
        if (earlier != null) {
            SheetSubmitted first = entryBySubmission.get(s.submissionId());
            if (first.sheet().equals(s.sheet()) && first.device().equals(s.device())) return new Decision.Repeat(earlier);
            return refuse(409, "submissionId", "reused", "submission id " + s.submissionId()
                    + " was already used for a different sheet (entry " + earlier.seq() + "); choose a new id for a new sheet");
        }
        Decision device = active(s.device(), Role.OFFICER, "device");
        if (device != null) return device;
        Device d = devices.get(s.device());
        if (!d.scope().equals(s.sheet().tps()))
            return refuse(403, "sheet.tps", "wrong_tps", "device " + d.id() + " is enrolled for TPS " + d.scope()
                    + ", not " + s.sheet().tps());
        int tps = election.tree().index(s.sheet().tps());
        long current = tally.currentSeq(s.sheet().contest(), tps);
        if (current >= 0)
            return refuse(409, "sheet.tps", "already_submitted", "TPS " + s.sheet().tps() + " already has a sheet for "
                    + s.sheet().contest() + " (entry " + current + "); a correction must come from a reviewer");
        return new Decision.Accept();
    }

    private Decision decideReview(ReviewDecided r) {
        Receipt earlier = byDecision.get(r.decisionId());
        if (earlier != null) {
            return entryByDecision.get(r.decisionId()).withReceivedAt(r.receivedAt()).equals(r) ? new Decision.Repeat(earlier)
                    : refuse(409, "decisionId", "reused", "decision id " + r.decisionId() + " was already used (entry "
                            + earlier.seq() + ")");
        }
        Decision reviewer = active(r.reviewer(), Role.REVIEWER, "reviewer");
        if (reviewer != null) return reviewer;
        Device d = devices.get(r.reviewer());
        RegionTree tree = election.tree();
        int tps = tree.index(r.tps());
        int scope = tree.index(d.scope());
        if (tps < 0 || scope < 0 || !tree.within(tps, scope))
            return refuse(403, "tps", "outside_scope", "reviewer " + d.id() + " reviews " + d.scope() + ", not TPS " + r.tps());
        long current = tally.currentSeq(r.contest(), tps);
        if (current < 0) return refuse(404, "sheetSeq", "no_sheet", "TPS " + r.tps() + " has no sheet for " + r.contest());
        if (current != r.sheetSeq())
            return refuse(409, "sheetSeq", "stale", "the current version of this sheet is entry " + current + ", not "
                    + r.sheetSeq() + "; review the current one");
        if (r.verdict() == ReviewDecided.Verdict.ACCEPT && tally.status(r.contest(), tps) != SheetStatus.HELD)
            return refuse(409, "verdict", "not_held", "entry " + current + " is already counted; only a correction can change it");
        return new Decision.Accept();
    }

    private Decision active(String id, Role role, String field) {
        Device d = devices.get(id);
        if (d == null) return refuse(403, field, "not_enrolled", "no device " + id + " is enrolled");
        if (d.revoked()) return refuse(403, field, "revoked", "device " + id + " was revoked");
        if (d.role() != role) return refuse(403, field, "wrong_role", "device " + id + " is enrolled as " + d.role().id());
        return null;
    }

    private static Decision refuse(int status, String field, String rule, String message) {
        return new Decision.Refuse(status, List.of(new FieldError(field, rule, message)));
    }

    /** Applies an entry that is (about to be) in the log at {@code seq}. */
    public Receipt apply(long seq, Entry entry) {
        return switch (entry) {
            case SheetSubmitted s -> {
                Receipt r = count(seq, s.sheet(), s.submissionId(), s.receivedAt(), false);
                bySubmission.put(s.submissionId(), r);
                entryBySubmission.put(s.submissionId(), s);
                yield r;
            }
            case DeviceEnrolled d -> {
                devices.put(d.device(), new Device(d.device(), d.publicKey(), d.role(), d.scope(), false, seq, d.receivedAt()));
                yield new Receipt(seq, d.device(), d.scope(), "", d.receivedAt(), SheetStatus.NONE, List.of());
            }
            case DeviceRevoked r -> {
                devices.computeIfPresent(r.device(), (k, d) -> d.revoke());
                yield new Receipt(seq, r.device(), "", "", r.receivedAt(), SheetStatus.NONE, List.of());
            }
            case ReviewDecided r -> {
                Receipt receipt;
                if (r.verdict() == ReviewDecided.Verdict.ACCEPT) {
                    HeldSheet h = held.get(key(r.tps(), r.contest()));
                    if (h == null) throw new IllegalStateException("entry " + seq + " accepts a sheet that is not held");
                    receipt = count(seq, h.sheet(), r.decisionId(), r.receivedAt(), true);
                } else {
                    receipt = count(seq, r.corrected(), r.decisionId(), r.receivedAt(), false);
                }
                byDecision.put(r.decisionId(), receipt);
                entryByDecision.put(r.decisionId(), r);
                yield receipt;
            }
        };
    }

    /** Makes {@code sheet} the TPS's current version at {@code seq}: counted when consistent or accepted, else held. */
    private Receipt count(long seq, TallySheet sheet, String id, java.time.Instant at, boolean accepted) {
        List<Violation> violations = ConsistencyRules.check(sheet);
        boolean counted = accepted || violations.isEmpty();
        tally.set(seq, sheet, counted);
        String key = key(sheet.tps(), sheet.contest());
        if (counted) held.remove(key);
        else held.put(key, new HeldSheet(seq, sheet, violations));
        return new Receipt(seq, id, sheet.tps(), sheet.contest(), at, counted ? SheetStatus.COUNTED : SheetStatus.HELD, violations);
    }

    private static String key(String tps, String contest) {
        return tps + "/" + contest;
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
