package org.rekap.verify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rekap.contest.Candidate;
import org.rekap.contest.Choice;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.region.RegionTree;
import org.rekap.region.TpsNumbers;
import org.rekap.tally.SheetStatus;
import org.rekap.tally.Tally;
import org.rekap.tally.Totals;

/**
 * What each public document and download should hold, computed from the verifier's own replay of the log and the
 * published set-up, following docs/api.md and docs/formats.md (not the server's rendering code). Expected JSON uses
 * {@code null} for "must be absent (or null)" and {@code false} for a flag that may be absent.
 */
final class Expected {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Expected() {}

    static ObjectNode ref(RegionTree tree, int node) {
        ObjectNode o = F.objectNode();
        o.put("code", tree.code(node));
        o.put("name", tree.name(node));
        o.put("level", tree.level(node));
        return o;
    }

    /** progress, dpt, voted, valid, invalid, cast, choices: the numbers every region, child and TPS shows. */
    static void numbers(ObjectNode o, Totals t) {
        ObjectNode p = o.putObject("progress");
        p.put("tpsCounted", t.tpsCounted());
        p.put("tpsHeld", t.tpsHeld());
        p.put("tpsTotal", t.tpsTotal());
        o.put("dpt", t.dpt());
        o.put("voted", t.voted());
        o.put("valid", t.valid());
        o.put("invalid", t.invalid());
        o.put("cast", t.cast());
        ArrayNode choices = o.putArray("choices");
        for (long v : t.choiceTotals()) choices.add(v);
    }

    /** {@code api/v1/regions/<code>/<contest>.json} without {@code changedAtLogSize} and {@code children}. */
    static ObjectNode regionDocument(String electionName, RegionTree tree, Contest c, Totals totals, int node) {
        ObjectNode o = F.objectNode();
        o.put("election", electionName);
        o.put("contest", c.id());
        o.set("region", ref(tree, node));
        ArrayNode path = o.putArray("path");
        for (int p : tree.path(node)) path.add(ref(tree, p));
        ObjectNode t = o.putObject("totals");
        numbers(t, totals);
        ArrayNode cand = t.putArray("candidates");
        for (long v : totals.candidateVotes()) cand.add(v);
        ArrayNode own = t.putArray("choiceOwnVotes");
        for (long v : totals.choiceVotes()) own.add(v);
        return o;
    }

    /** One child of a region document: its reference, TPS status and seq, numbers. */
    static ObjectNode child(Tally tally, Contest c, int child) {
        RegionTree tree = tally.election().tree();
        ObjectNode o = ref(tree, child);
        if (tree.isTps(child)) {
            SheetStatus s = tally.status(c.id(), child);
            o.put("status", s.name().toLowerCase(Locale.ROOT));
            long seq = tally.currentSeq(c.id(), child);
            if (seq >= 0) o.put("seq", seq);
            else o.putNull("seq");
        }
        numbers(o, tally.totals(c.id(), child));
        return o;
    }

    /** {@code api/v1/regions/<code>.json}: the contests (and roll-ups) with results at the region. */
    static ObjectNode contestsAt(Election election, Tally tally, int node) {
        ObjectNode o = F.objectNode();
        o.set("region", ref(election.tree(), node));
        ArrayNode ids = o.putArray("contests");
        for (Contest c : election.published()) if (tally.has(c.id(), node)) ids.add(c.id());
        return o;
    }

    /** {@code api/v1/election.json}. */
    static ObjectNode election(Election election, String electionName, long logSize, String origin, String verifierKey) {
        RegionTree tree = election.tree();
        ObjectNode o = F.objectNode();
        o.put("election", electionName);
        o.put("logSize", logSize);
        ObjectNode log = o.putObject("log");
        log.put("origin", origin);
        log.put("verifierKey", verifierKey);
        o.set("root", ref(tree, RegionTree.ROOT));
        ObjectNode levels = o.putObject("levels");
        tree.levelCounts().forEach(levels::put);
        ArrayNode contests = o.putArray("contests");
        for (Contest c : election.published()) {
            ObjectNode co = contests.addObject();
            co.put("id", c.id());
            co.put("rollup", election.contest(c.id()) == null);
            co.put("kind", c.kind().id());
            co.put("name", c.name());
            ArrayNode d = co.putArray("district");
            c.district().forEach(d::add);
            ArrayNode chs = co.putArray("choices");
            for (Choice ch : c.choices()) {
                ObjectNode cho = chs.addObject();
                cho.put("number", ch.number());
                cho.put("name", ch.name());
                if (!ch.candidates().isEmpty()) {
                    ArrayNode ks = cho.putArray("candidates");
                    for (Candidate k : ch.candidates()) ks.addObject().put("number", k.number()).put("name", k.name());
                } else {
                    cho.putNull("candidates");
                }
            }
        }
        return o;
    }

    /** The TPS download's columns (docs/formats.md, "TPS results CSV"). */
    static List<String> columns(Contest c) {
        List<String> out = new ArrayList<>(List.of("contest", "tps", "region", "tps_number", "status", "dpt", "voted",
                "valid", "invalid", "cast"));
        for (Choice ch : c.choices()) out.add("choice_" + ch.number());
        if (c.kind().partyList()) {
            for (Choice ch : c.choices()) {
                out.add("choice_" + ch.number() + "_party");
                for (Candidate k : ch.candidates()) out.add("choice_" + ch.number() + "_cand_" + k.number());
            }
        }
        return out;
    }

    /** The TPS nodes a region's download lists for a contest, in the order it lists them (tree order). */
    static List<Integer> downloadTps(Tally tally, Contest c, int node) {
        RegionTree tree = tally.election().tree();
        List<Integer> out = new ArrayList<>();
        // The regions of a subtree are one index range in pre-order; each lists its own TPS in child order.
        for (int r = node; r < tree.regionEnd(node); r++)
            for (int k = 0; k < tree.childCount(r); k++) {
                int t = tree.child(r, k);
                if (tree.isTps(t) && tally.has(c.id(), t)) out.add(t);
            }
        return out;
    }

    /** Receives a TPS row's cells in column order. */
    interface Cells {
        /** A text cell: contest, tps, region, status. */
        void text(String s);

        /** A number cell. */
        void count(long v);

        /** A number cell left empty: the sheet is not counted. */
        void empty();
    }

    /** Each status as the downloads spell it. */
    private static final String[] STATUS = java.util.Arrays.stream(SheetStatus.values())
            .map(s -> s.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

    /** One TPS's row: number cells are empty unless its sheet is counted. */
    static String[] row(Tally tally, Contest c, int tps) {
        List<String> cells = new ArrayList<>(columns(c).size());
        row(tally, c, tps, new Cells() {
            @Override
            public void text(String s) {
                cells.add(s);
            }

            @Override
            public void count(long v) {
                cells.add(Long.toString(v));
            }

            @Override
            public void empty() {
                cells.add("");
            }
        });
        return cells.toArray(String[]::new);
    }

    /** One TPS's row, cell by cell, into {@code out}. */
    static void row(Tally tally, Contest c, int tps, Cells out) {
        RegionTree tree = tally.election().tree();
        SheetStatus s = tally.status(c.id(), tps);
        Totals t = tally.totals(c.id(), tps);
        boolean counted = s == SheetStatus.COUNTED;
        String code = tree.code(tps);
        out.text(c.id());
        out.text(code);
        out.text(tree.code(tree.parent(tps)));
        out.count(TpsNumbers.numberOf(code));
        out.text(STATUS[s.ordinal()]);
        out.count(tree.dpt(tps));
        cell(out, counted, t.voted());
        cell(out, counted, t.valid());
        cell(out, counted, t.invalid());
        cell(out, counted, t.cast());
        for (long v : t.choiceTotals()) cell(out, counted, v);
        if (c.kind().partyList()) {
            int k = 0;
            for (int ch = 0; ch < c.choices().size(); ch++) {
                cell(out, counted, t.choiceVotes()[ch]);
                for (int n = 0; n < c.choices().get(ch).candidates().size(); n++) cell(out, counted, t.candidateVotes()[k++]);
            }
        }
    }

    private static void cell(Cells out, boolean counted, long v) {
        if (counted) out.count(v);
        else out.empty();
    }
}
