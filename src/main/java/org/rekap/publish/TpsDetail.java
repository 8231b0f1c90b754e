package org.rekap.publish;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongFunction;
import org.rekap.codec.EntryCodec;
import org.rekap.codec.Json;
import org.rekap.codec.SheetJson;
import org.rekap.contest.Election;
import org.rekap.ledger.Entry;
import org.rekap.ledger.LogEntry;
import org.rekap.ledger.ReviewDecided;
import org.rekap.ledger.SheetSubmitted;
import org.rekap.region.RegionTree;
import org.rekap.sheet.ConsistencyRules;
import org.rekap.sheet.TallySheet;
import org.rekap.sheet.Violation;

/**
 * The TPS page's document: the current sheet as it stands, its flags, and every version (the officer's submission,
 * then each reviewer's acceptance or correction, with who, when and why), with links to the photos. A function of
 * immutable log entries only: rendered once per current version and cached.
 */
public final class TpsDetail {
    private TpsDetail() {}

    /** One version of the sheet: the entry, the sheet it makes current, and whether it counts. */
    private record Version(long seq, Entry entry, TallySheet sheet, boolean counted) {}

    /**
     * Renders the detail whose current version is the entry at {@code currentSeq}, following each review back to the
     * version it decided on.
     */
    public static Document render(Election election, String electionName, LongFunction<LogEntry> read, long currentSeq) {
        List<Version> versions = new ArrayList<>();
        for (long seq = currentSeq; seq >= 0; ) {
            Entry e = EntryCodec.decode(read.apply(seq).bytes());
            switch (e) {
                case SheetSubmitted s -> {
                    versions.add(new Version(seq, s, s.sheet(), ConsistencyRules.check(s.sheet()).isEmpty()));
                    seq = -1;
                }
                case ReviewDecided r -> {
                    versions.add(new Version(seq, r, r.corrected(), r.verdict() == ReviewDecided.Verdict.ACCEPT
                            || ConsistencyRules.check(r.corrected()).isEmpty()));
                    seq = r.sheetSeq();
                }
                default -> throw new IllegalStateException("entry " + seq + " is not a version of a sheet");
            }
        }
        Collections.reverse(versions);
        // An acceptance keeps the sheet it accepted.
        for (int i = 1; i < versions.size(); i++)
            if (versions.get(i).sheet() == null) {
                Version v = versions.get(i);
                versions.set(i, new Version(v.seq(), v.entry(), versions.get(i - 1).sheet(), v.counted()));
            }
        Version current = versions.getLast();
        TallySheet sheet = current.sheet();
        RegionTree tree = election.tree();
        int node = tree.index(sheet.tps());
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("election", electionName);
        o.put("contest", sheet.contest());
        tpsRef(o, tree, node);
        List<Violation> violations = ConsistencyRules.check(sheet);
        o.put("status", current.counted() ? "counted" : "held");
        o.put("corrected", versions.size() > 1);
        o.put("seq", current.seq());
        o.set("sheet", SheetJson.write(sheet));
        ArrayNode flags = o.putArray("violations");
        for (Violation v : violations) flags.addObject().put("rule", v.rule().id()).put("field", v.field()).put("detail", v.detail());
        ArrayNode photos = o.putArray("photos");
        for (String sha : sheet.photos()) photos.addObject().put("sha256", sha).put("url", "photos/" + sha);
        ArrayNode history = o.putArray("versions");
        for (Version v : versions) {
            ObjectNode h = history.addObject().put("seq", v.seq()).put("receivedAt", v.entry().receivedAt().toString())
                    .put("status", v.counted() ? "counted" : "held");
            switch (v.entry()) {
                case SheetSubmitted s -> h.put("kind", "submitted").put("by", s.device()).put("submissionId", s.submissionId());
                case ReviewDecided r -> {
                    h.put("kind", r.verdict() == ReviewDecided.Verdict.ACCEPT ? "accepted" : "corrected").put("by", r.reviewer())
                            .put("reason", r.reason()).put("reviewedSeq", r.sheetSeq());
                    if (r.corrected() != null) h.set("sheet", SheetJson.write(r.corrected()));
                }
                default -> { }
            }
        }
        byte[] body = o.toString().getBytes(StandardCharsets.UTF_8);
        return Document.of("application/json; charset=utf-8", body, currentSeq + 1, true);
    }

    /** The small document of a TPS that has no sheet for the contest yet. */
    public static Document none(Election election, int node, String contest, long logSize) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("contest", contest);
        tpsRef(o, election.tree(), node);
        o.put("status", "none");
        o.putArray("versions");
        return Document.of("application/json; charset=utf-8", o.toString().getBytes(StandardCharsets.UTF_8), logSize, true);
    }

    private static void tpsRef(ObjectNode o, RegionTree tree, int node) {
        o.putObject("tps").put("code", tree.code(node)).put("name", tree.name(node)).put("dpt", tree.dpt(node));
        ArrayNode path = o.putArray("path");
        for (int p : tree.path(node)) path.addObject().put("code", tree.code(p)).put("name", tree.name(p)).put("level", tree.level(p));
    }
}
