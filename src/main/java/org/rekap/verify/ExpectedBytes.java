package org.rekap.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.region.RegionTree;
import org.rekap.tally.SheetStatus;
import org.rekap.tally.Tally;
import org.rekap.tally.Totals;

/**
 * The fast path of the comparisons: what {@link Expected} describes, rendered as the bytes a site publishes (compact
 * JSON with the fields in the order of docs/api.md's examples, CSV lines ending in a newline). A document whose bytes
 * are exactly these holds, field for field, so it needs no parsing; any other document, whatever the reason (a
 * difference, or merely another spelling of the same JSON), goes through the field-by-field comparison, which names
 * what differs. So a mismatch here never becomes a finding by itself.
 */
final class ExpectedBytes {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] CHANGED_AT = ",\"changedAtLogSize\":".getBytes(StandardCharsets.US_ASCII);

    private ExpectedBytes() {}

    /**
     * Whether a region document is, byte for byte, the replay's rendering. Its {@code changedAtLogSize} is the one
     * number the replay does not give: it is taken from the document, and must lie in 0..{@code size}.
     */
    static boolean region(byte[] body, String electionName, Tally tally, Contest c, int node, long size) {
        long changedAt = changedAt(body);
        if (changedAt < 0 || changedAt > size) return false;
        RegionTree tree = tally.election().tree();
        byte[] expected = write(g -> {
            g.writeStartObject();
            g.writeStringField("election", electionName);
            g.writeNumberField("changedAtLogSize", changedAt);
            g.writeStringField("contest", c.id());
            g.writeFieldName("region");
            ref(g, tree, node);
            g.writeArrayFieldStart("path");
            for (int p : tree.path(node)) ref(g, tree, p);
            g.writeEndArray();
            Totals totals = tally.totals(c.id(), node);
            g.writeObjectFieldStart("totals");
            numbers(g, totals);
            longs(g, "candidates", totals.candidateVotes());
            longs(g, "choiceOwnVotes", totals.choiceVotes());
            g.writeEndObject();
            g.writeArrayFieldStart("children");
            for (int k : tally.children(c.id(), node)) {
                g.writeStartObject();
                refFields(g, tree, k);
                if (tree.isTps(k)) {
                    SheetStatus s = tally.status(c.id(), k);
                    g.writeStringField("status", s.name().toLowerCase(Locale.ROOT));
                    long seq = tally.currentSeq(c.id(), k);
                    if (seq >= 0) g.writeNumberField("seq", seq);
                }
                numbers(g, tally.totals(c.id(), k));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        return Arrays.equals(expected, body);
    }

    /** Whether a region's contest list is, byte for byte, the replay's rendering. */
    static boolean contestsAt(byte[] body, Election election, Tally tally, int node) {
        byte[] expected = write(g -> {
            g.writeStartObject();
            g.writeFieldName("region");
            ref(g, election.tree(), node);
            g.writeArrayFieldStart("contests");
            for (Contest c : election.published()) if (tally.has(c.id(), node)) g.writeString(c.id());
            g.writeEndArray();
            g.writeEndObject();
        });
        return Arrays.equals(expected, body);
    }

    /** The rows of a CSV download that is, byte for byte, the replay's rendering; -1 when it is not. */
    static long csv(byte[] body, Tally tally, Contest c, int node) {
        Matcher m = new Matcher(body);
        List<String> columns = Expected.columns(c);
        m.out.ascii(String.join(",", columns)).put('\n');
        if (!m.matches()) return -1;
        CsvCells cells = new CsvCells(m.out);
        List<Integer> tpsList = Expected.downloadTps(tally, c, node);
        for (int tps : tpsList) {
            cells.first = true;
            Expected.row(tally, c, tps, cells);
            m.out.put('\n');
            if (cells.unsafe || !m.matches()) return -1;
        }
        return m.atEnd() ? tpsList.size() : -1;
    }

    /** The rows of a JSON download that is, byte for byte, the replay's rendering at {@code size}; -1 when not. */
    static long json(byte[] body, Tally tally, Contest c, int node, long size) {
        Matcher m = new Matcher(body);
        String code = tally.election().tree().code(node);
        JsonCells cells = new JsonCells(m.out);
        if (!plain(c.id()) || !plain(code)) return -1;
        m.out.ascii("{\"contest\":\"").ascii(c.id()).ascii("\",\"region\":\"").ascii(code).ascii("\",\"logSize\":")
                .number(size).ascii(",\"columns\":[");
        for (String col : Expected.columns(c)) cells.text(col);
        m.out.ascii("],\"rows\":[");
        if (cells.unsafe || !m.matches()) return -1;
        List<Integer> tpsList = Expected.downloadTps(tally, c, node);
        boolean firstRow = true;
        for (int tps : tpsList) {
            if (!firstRow) m.out.put(',');
            firstRow = false;
            m.out.put('[');
            cells.first = true;
            Expected.row(tally, c, tps, cells);
            m.out.put(']');
            if (cells.unsafe || !m.matches()) return -1;
        }
        m.out.ascii("]}\n");
        return m.matches() && m.atEnd() ? tpsList.size() : -1;
    }

    /** The value of {@code changedAtLogSize} as the document spells it (a plain non-negative integer), or -1. */
    static long changedAt(byte[] body) {
        int at = indexOf(body, CHANGED_AT);
        if (at < 0) return -1;
        long v = 0;
        int i = at + CHANGED_AT.length, digits = 0;
        while (i < body.length && body[i] >= '0' && body[i] <= '9' && digits < 18) {
            v = v * 10 + (body[i++] - '0');
            digits++;
        }
        return digits == 0 || (digits > 1 && body[at + CHANGED_AT.length] == '0') ? -1 : v;
    }

    private static int indexOf(byte[] body, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= body.length; i++) {
            for (int j = 0; j < what.length; j++) if (body[i + j] != what[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static void ref(JsonGenerator g, RegionTree tree, int node) throws IOException {
        g.writeStartObject();
        refFields(g, tree, node);
        g.writeEndObject();
    }

    private static void refFields(JsonGenerator g, RegionTree tree, int node) throws IOException {
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
        longs(g, "choices", t.choiceTotals());
    }

    private static void longs(JsonGenerator g, String field, long[] values) throws IOException {
        g.writeArrayFieldStart(field);
        for (long v : values) g.writeNumber(v);
        g.writeEndArray();
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Bytes rendered a piece at a time and compared with the published ones at the same place. */
    private static final class Matcher {
        final Out out = new Out();
        private final byte[] body;
        private int pos;

        Matcher(byte[] body) {
            this.body = body;
        }

        /** Whether what was rendered since the last call is what the body holds next; forgets it. */
        boolean matches() {
            int n = out.size;
            boolean same = pos + n <= body.length && Arrays.equals(out.bytes, 0, n, body, pos, pos + n);
            pos += n;
            out.size = 0;
            return same;
        }

        boolean atEnd() {
            return pos == body.length;
        }
    }

    /** A growable byte buffer for ASCII text and numbers. */
    private static final class Out {
        byte[] bytes = new byte[4096];
        int size;

        Out put(char ch) {
            if (size == bytes.length) bytes = Arrays.copyOf(bytes, size * 2);
            bytes[size++] = (byte) ch;
            return this;
        }

        Out ascii(String s) {
            for (int i = 0; i < s.length(); i++) put(s.charAt(i));
            return this;
        }

        /** A number in decimal, without making a string of it: a national download has millions of them. */
        Out number(long v) {
            if (v < 0) {
                if (v == Long.MIN_VALUE) return ascii(Long.toString(v));
                put('-');
                v = -v;
            }
            int digits = 1;
            for (long p = 10; digits < 19 && v >= p; p *= 10) digits++;
            if (size + digits > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + digits));
            for (int i = size + digits - 1; i >= size; i--) {
                bytes[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            size += digits;
            return this;
        }
    }

    /** Whether a text cell can be written as it is: ASCII, nothing a CSV or JSON string would quote or escape. */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\' || ch == ',') return false;
        }
        return true;
    }

    /** Cells as a CSV line: comma-separated, empty number cells empty. */
    private static final class CsvCells implements Expected.Cells {
        private final Out out;
        boolean first = true;
        boolean unsafe;

        CsvCells(Out out) {
            this.out = out;
        }

        private void sep() {
            if (!first) out.put(',');
            first = false;
        }

        @Override
        public void text(String s) {
            sep();
            if (!plain(s)) unsafe = true;
            out.ascii(s);
        }

        @Override
        public void count(long v) {
            sep();
            out.number(v);
        }

        @Override
        public void empty() {
            sep();
        }
    }

    /** Cells as a JSON array's items: text quoted, numbers bare, empty number cells null. */
    private static final class JsonCells implements Expected.Cells {
        private final Out out;
        boolean first = true;
        boolean unsafe;

        JsonCells(Out out) {
            this.out = out;
        }

        private void sep() {
            if (!first) out.put(',');
            first = false;
        }

        @Override
        public void text(String s) {
            sep();
            if (!plain(s)) unsafe = true;
            out.put('"').ascii(s).put('"');
        }

        @Override
        public void count(long v) {
            sep();
            out.number(v);
        }

        @Override
        public void empty() {
            sep();
            out.ascii("null");
        }
    }
}
