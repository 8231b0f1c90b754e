package org.rekap.publish;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.rekap.contest.Candidate;
import org.rekap.contest.Choice;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.region.RegionTree;
import org.rekap.tally.SheetStatus;
import org.rekap.tally.Totals;

/** Renders the public JSON documents (docs/api.md) with a streaming generator: no intermediate tree. */
final class DocumentWriter {
    private static final JsonFactory FACTORY = new JsonFactory();

    private DocumentWriter() {}

    /** What one region document shows, gathered under the tally's lock and rendered outside it. */
    record RegionView(Contest contest, Totals totals, List<Totals> children, List<SheetStatus> childStatus, long[] childSeq,
            long changedAt) {}

    static byte[] region(Election election, String electionName, RegionView v) {
        RegionTree tree = election.tree();
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("election", electionName);
            g.writeNumberField("changedAtLogSize", v.changedAt());
            g.writeStringField("contest", v.contest().id());
            int node = v.totals().node();
            g.writeObjectFieldStart("region");
            regionRef(g, tree, node);
            g.writeEndObject();
            g.writeArrayFieldStart("path");
            for (int p : tree.path(node)) {
                g.writeStartObject();
                regionRef(g, tree, p);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("totals");
            numbers(g, v.totals());
            g.writeArrayFieldStart("candidates");
            for (long c : v.totals().candidateVotes()) g.writeNumber(c);
            g.writeEndArray();
            g.writeArrayFieldStart("choiceOwnVotes");
            for (long c : v.totals().choiceVotes()) g.writeNumber(c);
            g.writeEndArray();
            g.writeEndObject();
            g.writeArrayFieldStart("children");
            for (int i = 0; i < v.children().size(); i++) {
                Totals c = v.children().get(i);
                g.writeStartObject();
                regionRef(g, tree, c.node());
                if (v.childStatus() != null && tree.isTps(c.node())) {
                    g.writeStringField("status", v.childStatus().get(i).name().toLowerCase(java.util.Locale.ROOT));
                    if (v.childSeq()[i] >= 0) g.writeNumberField("seq", v.childSeq()[i]);
                }
                numbers(g, c);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void regionRef(JsonGenerator g, RegionTree tree, int node) throws IOException {
        g.writeStringField("code", tree.code(node));
        g.writeStringField("name", tree.name(node));
        g.writeStringField("level", tree.level(node));
    }

    private static void numbers(JsonGenerator g, Totals t) throws IOException {
        g.writeObjectFieldStart("progress");
        g.writeNumberField("tpsCounted", t.tpsCounted());
        g.writeNumberField("tpsHeld", t.tpsHeld());
        g.writeNumberField("tpsTotal", t.tpsTotal());
        g.writeEndObject();
        g.writeNumberField("dpt", t.dpt());
        g.writeNumberField("voted", t.voted());
        g.writeNumberField("valid", t.valid());
        g.writeNumberField("invalid", t.invalid());
        g.writeNumberField("cast", t.cast());
        g.writeArrayFieldStart("choices");
        for (long c : t.choiceTotals()) g.writeNumber(c);
        g.writeEndArray();
    }

    /** The election document: set-up a page needs to label region documents. */
    static byte[] election(Election election, String electionName, long logSize, LogSigning signing) {
        RegionTree tree = election.tree();
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("election", electionName);
            g.writeNumberField("logSize", logSize);
            g.writeObjectFieldStart("log");
            g.writeStringField("origin", signing.origin());
            g.writeStringField("verifierKey", signing.verifierKey());
            g.writeStringField("checkpoint", "../../checkpoint");
            g.writeEndObject();
            g.writeObjectFieldStart("root");
            regionRef(g, tree, RegionTree.ROOT);
            g.writeEndObject();
            g.writeObjectFieldStart("levels");
            for (var e : tree.levelCounts().entrySet()) g.writeNumberField(e.getKey(), e.getValue());
            g.writeEndObject();
            g.writeArrayFieldStart("contests");
            for (Contest c : election.published()) {
                g.writeStartObject();
                g.writeStringField("id", c.id());
                if (election.contest(c.id()) == null) g.writeBooleanField("rollup", true);
                g.writeStringField("kind", c.kind().id());
                g.writeStringField("name", c.name());
                g.writeArrayFieldStart("district");
                for (String d : c.district()) g.writeString(d);
                g.writeEndArray();
                g.writeArrayFieldStart("choices");
                for (Choice ch : c.choices()) {
                    g.writeStartObject();
                    g.writeNumberField("number", ch.number());
                    g.writeStringField("name", ch.name());
                    if (!ch.candidates().isEmpty()) {
                        g.writeArrayFieldStart("candidates");
                        for (Candidate k : ch.candidates()) {
                            g.writeStartObject();
                            g.writeNumberField("number", k.number());
                            g.writeStringField("name", k.name());
                            g.writeEndObject();
                        }
                        g.writeEndArray();
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** Which contests have results at a region: the page's contest menu. */
    static byte[] contestsAt(RegionTree tree, int node, List<String> contestIds) {
        return write(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("region");
            regionRef(g, tree, node);
            g.writeEndObject();
            g.writeArrayFieldStart("contests");
            for (String id : contestIds) g.writeString(id);
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
