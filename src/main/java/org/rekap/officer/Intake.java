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
    /** Every accepted submission, compactly: a national log holds millions (see {@link Submissions}). */
    private final Submissions submissions = new Submissions();
    private final Map<String, Receipt> byDecision = new HashMap<>();
    private final Map<String, ReviewDecided> entryByDecision = new HashMap<>();
    /** Read by request threads (signature checks, listings), written here. */
    private final Devices devices;
    /** Sheets held for review by "tps/contest": their version's position, TPS node and {@link SheetBytes}. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    private record Held(long seq, int tps, byte[] sheet) {
        HeldSheet open() {
            TallySheet s = SheetBytes.read(sheet);
            // The rules broken are a function of the sheet: recomputed rather than kept for every held sheet.
            return new HeldSheet(seq, s, ConsistencyRules.check(s));
        }
    }

    /** A sheet awaiting review: its current version's log position, the sheet as it stands and its broken rules. */
    public record HeldSheet(long seq, TallySheet sheet, List<Violation> violations) {}

    public Intake(Tally tally) {
        this.tally = tally;
        this.election = tally.election();
        this.devices = new Devices(election.tree());
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
        for (Held h : held.values()) if (tree.within(h.tps(), region)) out.add(h.open());
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
        int earlier = submissions.find(s.submissionId());
        if (earlier >= 0) {
            if (submissions.digestIs(earlier, SheetDigest.of(s.device(), s.sheet()))) {
                // The same device and sheet as the first time, so the same rules broken and the same status.
                List<Violation> violations = ConsistencyRules.check(s.sheet());
                return new Decision.Repeat(new Receipt(submissions.seq(earlier), s.submissionId(), s.sheet().tps(),
                        s.sheet().contest(), submissions.receivedAt(earlier),
                        violations.isEmpty() ? SheetStatus.COUNTED : SheetStatus.HELD, violations));
            }
            return refuse(409, "submissionId", "reused", "submission id " + s.submissionId()
                    + " was already used for a different sheet (entry " + submissions.seq(earlier)
                    + "); choose a new id for a new sheet");
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
                submissions.put(s.submissionId(), seq, s.receivedAt(), SheetDigest.of(s.device(), s.sheet()));
                yield r;
            }
            case DeviceEnrolled d -> {
                devices.put(new Device(d.device(), d.publicKey(), d.role(), d.scope(), false, seq, d.receivedAt()));
                yield new Receipt(seq, d.device(), d.scope(), "", d.receivedAt(), SheetStatus.NONE, List.of());
            }
            case DeviceRevoked r -> {
                devices.revoke(r.device());
                yield new Receipt(seq, r.device(), "", "", r.receivedAt(), SheetStatus.NONE, List.of());
            }
            case ReviewDecided r -> {
                Receipt receipt;
                if (r.verdict() == ReviewDecided.Verdict.ACCEPT) {
                    Held h = held.get(key(r.tps(), r.contest()));
                    if (h == null) throw new IllegalStateException("entry " + seq + " accepts a sheet that is not held");
                    receipt = count(seq, SheetBytes.read(h.sheet()), r.decisionId(), r.receivedAt(), true);
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
        else held.put(key, new Held(seq, election.tree().index(sheet.tps()), SheetBytes.of(sheet)));
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

    /** Writes everything this state machine has built from the log, for a later {@link #readState}. */
    public void writeState(java.io.DataOutput out) throws java.io.IOException {
        devices.writeTo(out);
        submissions.writeTo(out);
        out.writeInt(byDecision.size());
        for (Map.Entry<String, Receipt> e : byDecision.entrySet()) {
            writeReceipt(out, e.getValue());
            writeBytes(out, EntryCodec.encode(entryByDecision.get(e.getKey())));
        }
        out.writeInt(held.size());
        for (Map.Entry<String, Held> e : held.entrySet()) {
            out.writeLong(e.getValue().seq());
            writeBytes(out, e.getValue().sheet());
        }
    }

    /**
     * Restores into this fresh state machine what {@link #writeState} wrote for the same election.
     *
     * @throws java.io.IOException when the data is unreadable or names what this election does not have
     */
    public void readState(java.io.DataInput in) throws java.io.IOException {
        devices.readFrom(in);
        submissions.readFrom(in);
        int n = count(in);
        for (int i = 0; i < n; i++) {
            Receipt r = readReceipt(in);
            Entry e;
            try {
                e = EntryCodec.decode(readBytes(in));
            } catch (IllegalArgumentException ex) {
                throw new java.io.IOException("saved review decision " + r.submissionId() + ": " + ex.getMessage(), ex);
            }
            if (!(e instanceof ReviewDecided d)) throw new java.io.IOException("saved review decision is a " + e.type());
            byDecision.put(d.decisionId(), r);
            entryByDecision.put(d.decisionId(), d);
        }
        n = count(in);
        for (int i = 0; i < n; i++) {
            long seq = in.readLong();
            byte[] bytes = readBytes(in);
            TallySheet sheet;
            try {
                sheet = SheetBytes.read(bytes);
            } catch (IllegalArgumentException e) {
                throw new java.io.IOException("a saved held sheet is unreadable: " + e.getMessage(), e);
            }
            int tps = election.tree().index(sheet.tps());
            if (tps < 0 || election.contest(sheet.contest()) == null)
                throw new java.io.IOException("a saved held sheet is not of this election");
            held.put(key(sheet.tps(), sheet.contest()), new Held(seq, tps, bytes));
        }
    }

    private static int count(java.io.DataInput in) throws java.io.IOException {
        int n = in.readInt();
        if (n < 0) throw new java.io.IOException("negative count " + n);
        return n;
    }

    private static SheetStatus status(int ordinal) throws java.io.IOException {
        SheetStatus[] all = SheetStatus.values();
        if (ordinal < 0 || ordinal >= all.length) throw new java.io.IOException("unknown sheet status " + ordinal);
        return all[ordinal];
    }

    private static void writeInstant(java.io.DataOutput out, java.time.Instant at) throws java.io.IOException {
        out.writeLong(at.getEpochSecond());
        out.writeInt(at.getNano());
    }

    private static java.time.Instant readInstant(java.io.DataInput in) throws java.io.IOException {
        long seconds = in.readLong();
        int nanos = in.readInt();
        if (nanos < 0 || nanos > 999_999_999) throw new java.io.IOException("bad instant");
        return java.time.Instant.ofEpochSecond(seconds, nanos);
    }

    private static void writeBytes(java.io.DataOutput out, byte[] b) throws java.io.IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(java.io.DataInput in) throws java.io.IOException {
        int n = count(in);
        if (n > 1 << 24) throw new java.io.IOException("implausible length " + n);
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static void writeViolations(java.io.DataOutput out, List<Violation> violations) throws java.io.IOException {
        out.writeShort(violations.size());
        for (Violation v : violations) {
            out.writeUTF(v.rule().name());
            out.writeUTF(v.field());
            out.writeUTF(v.detail());
        }
    }

    private static List<Violation> readViolations(java.io.DataInput in) throws java.io.IOException {
        int n = in.readUnsignedShort();
        if (n == 0) return List.of();
        List<Violation> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            org.rekap.sheet.Rule rule;
            try {
                rule = org.rekap.sheet.Rule.valueOf(in.readUTF());
            } catch (IllegalArgumentException e) {
                throw new java.io.IOException("unknown rule", e);
            }
            out.add(new Violation(rule, in.readUTF(), in.readUTF()));
        }
        return List.copyOf(out);
    }

    private static void writeReceipt(java.io.DataOutput out, Receipt r) throws java.io.IOException {
        out.writeLong(r.seq());
        out.writeUTF(r.submissionId());
        out.writeUTF(r.tps());
        out.writeUTF(r.contest());
        writeInstant(out, r.receivedAt());
        out.writeByte(r.status().ordinal());
        writeViolations(out, r.violations());
    }

    private static Receipt readReceipt(java.io.DataInput in) throws java.io.IOException {
        return new Receipt(in.readLong(), in.readUTF(), in.readUTF(), in.readUTF(), readInstant(in), status(in.readByte()),
                readViolations(in));
    }
}
