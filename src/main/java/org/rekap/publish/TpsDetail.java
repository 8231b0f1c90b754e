package org.rekap.publish;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.rekap.codec.EntryCodec;
import org.rekap.codec.Json;
import org.rekap.codec.SheetJson;
import org.rekap.contest.Election;
import org.rekap.ledger.Entry;
import org.rekap.ledger.LogEntry;
import org.rekap.ledger.SheetSubmitted;
import org.rekap.region.RegionTree;
import org.rekap.sheet.ConsistencyRules;
import org.rekap.sheet.Violation;

/**
 * The TPS page's document: the current sheet as written, its flags, every version, and links to the photos. It is a
 * function of immutable log entries only, so it can be rendered once per version and cached forever.
 */
public final class TpsDetail {
    private TpsDetail() {}

    /** Renders the detail of the TPS and contest whose versions are these log entries, oldest first. */
    public static Document render(Election election, String electionName, List<LogEntry> versions) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        RegionTree tree = election.tree();
        SheetSubmitted current = sheet(versions.getLast());
        int node = tree.index(current.sheet().tps());
        o.put("election", electionName);
        o.put("contest", current.sheet().contest());
        ObjectNode tps = o.putObject("tps");
        tps.put("code", tree.code(node)).put("name", tree.name(node)).put("dpt", tree.dpt(node));
        ArrayNode path = o.putArray("path");
        for (int p : tree.path(node)) path.addObject().put("code", tree.code(p)).put("name", tree.name(p)).put("level", tree.level(p));
        List<Violation> violations = ConsistencyRules.check(current.sheet());
        o.put("status", violations.isEmpty() ? "counted" : "held");
        o.put("seq", versions.getLast().seq());
        o.set("sheet", SheetJson.write(current.sheet()));
        ArrayNode flags = o.putArray("violations");
        for (Violation v : violations) flags.addObject().put("rule", v.rule().id()).put("field", v.field()).put("detail", v.detail());
        ArrayNode photos = o.putArray("photos");
        for (String sha : current.sheet().photos()) photos.addObject().put("sha256", sha).put("url", "photos/" + sha);
        ArrayNode history = o.putArray("versions");
        for (LogEntry e : versions) {
            SheetSubmitted s = sheet(e);
            history.addObject().put("seq", e.seq()).put("receivedAt", s.receivedAt().toString())
                    .put("submissionId", s.submissionId())
                    .put("status", ConsistencyRules.check(s.sheet()).isEmpty() ? "counted" : "held");
        }
        byte[] body = o.toString().getBytes(StandardCharsets.UTF_8);
        return Document.of("application/json; charset=utf-8", body, versions.getLast().seq() + 1, true);
    }

    /** The small document of a TPS that has no sheet for the contest yet. */
    public static Document none(Election election, int node, String contest, long logSize) {
        RegionTree tree = election.tree();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("contest", contest);
        o.putObject("tps").put("code", tree.code(node)).put("name", tree.name(node)).put("dpt", tree.dpt(node));
        ArrayNode path = o.putArray("path");
        for (int p : tree.path(node)) path.addObject().put("code", tree.code(p)).put("name", tree.name(p)).put("level", tree.level(p));
        o.put("status", "none");
        o.putArray("versions");
        return Document.of("application/json; charset=utf-8", o.toString().getBytes(StandardCharsets.UTF_8), logSize, true);
    }

    private static SheetSubmitted sheet(LogEntry e) {
        Entry entry = EntryCodec.decode(e.bytes());
        if (entry instanceof SheetSubmitted s) return s;
        throw new IllegalStateException("log entry " + e.seq() + " is not a sheet");
    }
}
