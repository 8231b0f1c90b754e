package org.rekap.verify;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.rekap.codec.Json;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.region.RegionTree;
import org.rekap.tally.Tally;

/**
 * Compares published documents and downloads with the replay, at the log size the replay has reached (the caller
 * makes sure it is the document's own snapshot). Every difference becomes a {@link Finding} naming the path, the
 * region, the contest and the field (or the TPS and column of a download row).
 */
final class DocumentCheck {
    /** Fields the replay cannot reproduce, checked elsewhere or not numbers: not reported as unknown. */
    private static final Set<String> KNOWN = Set.of("changedAtLogSize", "children", "log.checkpoint",
            "log.verifierKey", "log.origin");

    private final Consumer<Finding> report;
    private final String electionName;
    private final Election election;
    private final RegionTree tree;
    private final Tally tally;
    private final Set<String> unknownFields;

    /**
     * @param report receives the findings
     * @param unknownFields collects the fields no check covers (thread-safe: checks of several documents may share it)
     */
    DocumentCheck(Consumer<Finding> report, String electionName, Tally tally, Set<String> unknownFields) {
        this.report = report;
        this.electionName = electionName;
        this.tally = tally;
        this.election = tally.election();
        this.tree = election.tree();
        this.unknownFields = unknownFields;
    }

    JsonNode parse(String path, byte[] body, String region, String contest) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n != null && n.isObject()) return n;
        } catch (IOException e) {
            report.accept(Finding.of(Finding.Check.DOCUMENT, "is not JSON: " + e.getMessage()).path(path)
                    .region(region).contest(contest).build());
            return null;
        }
        report.accept(Finding.of(Finding.Check.DOCUMENT, "is not a JSON object").path(path).region(region)
                .contest(contest).build());
        return null;
    }

    /** {@code api/v1/election.json} at log size {@code size}. */
    void election(String path, JsonNode found, long size, String origin, String verifierKey) {
        ObjectNode exp = Expected.election(election, electionName, size, origin, verifierKey);
        // The key and origin are checked against the checkpoint before anything else.
        ((ObjectNode) exp.get("log")).remove(List.of("origin", "verifierKey"));
        JsonDiff.compare(exp, found, "", sink(path, null, null));
    }

    /** {@code api/v1/regions/<code>.json}. */
    void contestsAt(String path, int node, JsonNode found) {
        JsonDiff.compare(Expected.contestsAt(election, tally, node), found, "", sink(path, tree.code(node), null));
    }

    /** {@code api/v1/regions/<code>/<contest>.json} at log size {@code size}. */
    void region(String path, Contest c, int node, JsonNode found, long size) {
        String code = tree.code(node);
        ObjectNode exp = Expected.regionDocument(electionName, tree, c, tally.totals(c.id(), node), node);
        JsonDiff.compare(exp, found, "", sink(path, code, c.id()));
        JsonNode changed = found.get("changedAtLogSize");
        if (changed == null || !changed.isIntegralNumber() || changed.asLong() < 0 || changed.asLong() > size)
            report.accept(Finding.of(Finding.Check.DOCUMENT, "changedAtLogSize must be a log size no later than the"
                            + " document's snapshot").path(path).region(code).contest(c.id()).field("changedAtLogSize")
                    .expected("0.." + size).found(JsonDiff.show(changed)).build());

        List<Integer> kids = tally.children(c.id(), node);
        JsonNode children = found.get("children");
        if (children == null || !children.isArray()) {
            report.accept(Finding.of(Finding.Check.DOCUMENT, "has no children array").path(path).region(code)
                    .contest(c.id()).field("children").expected(kids.size() + " children").found(JsonDiff.show(children))
                    .build());
            return;
        }
        Map<String, JsonNode> byCode = new LinkedHashMap<>();
        for (JsonNode ch : children) {
            String cc = ch.path("code").asText("");
            if (byCode.put(cc, ch) != null)
                report.accept(Finding.of(Finding.Check.DOCUMENT, "lists child " + cc + " twice").path(path).region(code)
                        .contest(c.id()).field("children[" + cc + "]").build());
        }
        List<String> expectedCodes = new ArrayList<>(kids.size());
        for (int k : kids) expectedCodes.add(tree.code(k));
        Set<String> expectedSet = new HashSet<>(expectedCodes);
        for (int k : kids) {
            String cc = tree.code(k);
            JsonNode f = byCode.get(cc);
            if (f == null) {
                report.accept(Finding.of(Finding.Check.DOCUMENT, "child " + cc + " is missing").path(path).region(code)
                        .contest(c.id()).field("children[" + cc + "]").expected("a child " + cc).build());
                continue;
            }
            JsonDiff.compare(Expected.child(tally, c, k), f, "children[" + cc + "]", sink(path, code, c.id()));
        }
        for (String cc : byCode.keySet())
            if (!expectedSet.contains(cc))
                report.accept(Finding.of(Finding.Check.DOCUMENT, "lists child " + cc + ", which the replay does not have"
                        + " here").path(path).region(code).contest(c.id()).field("children[" + cc + "]").found(cc)
                        .build());
        List<String> common = new ArrayList<>(byCode.keySet());
        common.retainAll(expectedSet);
        List<String> expectedCommon = new ArrayList<>(expectedCodes);
        expectedCommon.retainAll(byCode.keySet());
        if (!common.equals(expectedCommon))
            report.accept(Finding.of(Finding.Check.DOCUMENT, "children are not in tree order").path(path).region(code)
                    .contest(c.id()).field("children").expected(String.join(" ", expectedCommon))
                    .found(String.join(" ", common)).build());
    }

    /** {@code api/v1/download/<code>/<contest>.csv}: returns the rows read. */
    long csv(String path, Contest c, int node, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        RowMatcher m = matcher(path, c, node);
        int pos = 0, line = 0;
        boolean readable = true;
        while (pos < text.length() && readable) {
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? text.length() : nl;
            String l = text.substring(pos, end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end);
            pos = end + 1;
            line++;
            List<String> cells;
            try {
                cells = split(l);
            } catch (IllegalArgumentException e) {
                report.accept(Finding.of(Finding.Check.DOWNLOAD, "line " + line + " is not CSV: " + e.getMessage())
                        .path(path).region(tree.code(node)).contest(c.id()).build());
                continue;
            }
            if (line == 1) readable = m.header(cells);
            else if (!l.isEmpty()) m.row(cells.toArray(String[]::new));
        }
        if (line == 0) {
            report.accept(Finding.of(Finding.Check.DOWNLOAD, "is empty").path(path).region(tree.code(node)).contest(c.id())
                    .expected("a header line").build());
            return 0;
        }
        if (readable) m.finish();
        return m.rows();
    }

    /** {@code api/v1/download/<code>/<contest>.json} at log size {@code size}: returns the rows read. */
    long jsonDownload(String path, Contest c, int node, byte[] body, long size) {
        String code = tree.code(node);
        RowMatcher m = matcher(path, c, node);
        boolean readable = false, sawColumns = false;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "contest", "region" -> {
                        String want = name.equals("contest") ? c.id() : code;
                        if (t != JsonToken.VALUE_STRING || !p.getText().equals(want))
                            differs(path, code, c.id(), name, "\"" + want + "\"", p.getText());
                    }
                    case "logSize" -> {
                        if (t != JsonToken.VALUE_NUMBER_INT || p.getLongValue() != size)
                            differs(path, code, c.id(), name, Long.toString(size), p.getText());
                    }
                    case "columns" -> {
                        List<String> cols = new ArrayList<>();
                        if (t != JsonToken.START_ARRAY) throw new IOException("columns is not an array");
                        while (p.nextToken() != JsonToken.END_ARRAY) cols.add(p.getText());
                        readable = m.header(cols);
                        sawColumns = true;
                    }
                    case "rows" -> {
                        if (!sawColumns) throw new IOException("rows come before columns");
                        if (t != JsonToken.START_ARRAY) throw new IOException("rows is not an array");
                        while (p.nextToken() == JsonToken.START_ARRAY) {
                            List<String> cells = new ArrayList<>();
                            JsonToken v;
                            while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                                if (v == JsonToken.VALUE_NULL) cells.add("");
                                else if (v.isScalarValue()) cells.add(p.getText());
                                else throw new IOException("a row holds a " + v);
                            }
                            if (readable) m.row(cells.toArray(String[]::new));
                        }
                    }
                    default -> {
                        unknownFields.add("download." + name);
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            report.accept(Finding.of(Finding.Check.DOWNLOAD, "cannot be read as the JSON download: " + e.getMessage())
                    .path(path).region(code).contest(c.id()).build());
            return m.rows();
        }
        if (!sawColumns)
            report.accept(Finding.of(Finding.Check.DOWNLOAD, "has no columns").path(path).region(code).contest(c.id())
                    .field("columns").build());
        else if (readable) m.finish();
        return m.rows();
    }

    private void differs(String path, String region, String contest, String field, String expected, String found) {
        report.accept(Finding.of(Finding.Check.DOWNLOAD, field + " differs").path(path).region(region).contest(contest)
                .field(field).expected(expected).found(found).build());
    }

    private RowMatcher matcher(String path, Contest c, int node) {
        return new RowMatcher(tree, Expected.columns(c), Expected.downloadTps(tally, c, node),
                tps -> Expected.row(tally, c, tps), (tps, column, what, expected, found) -> report.accept(
                        Finding.of(Finding.Check.DOWNLOAD, what).path(path).region(tps != null ? tps : tree.code(node))
                                .contest(c.id()).field(column).expected(expected).found(found).build()));
    }

    private JsonDiff.Sink sink(String path, String region, String contest) {
        return new JsonDiff.Sink() {
            @Override
            public void differs(String field, String expected, String found) {
                String what = found == null ? "is missing" : expected == null ? "should not be there"
                        : "differs from the replay";
                report.accept(Finding.of(Finding.Check.DOCUMENT, what).path(path).region(region).contest(contest)
                        .field(field).expected(expected).found(found).build());
            }

            @Override
            public void unknown(String field) {
                String f = field.replaceAll("\\[[^]]*]", "[]");
                if (!KNOWN.contains(f)) unknownFields.add(f);
            }
        };
    }

    /** RFC 4180 fields of one line (the downloads quote nothing today, but a copy may). */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        int i = 0;
        while (true) {
            f.setLength(0);
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) throw new IllegalArgumentException("a quoted field is not closed");
                    char ch = line.charAt(i++);
                    if (ch == '"') {
                        if (i < line.length() && line.charAt(i) == '"') {
                            f.append('"');
                            i++;
                        } else break;
                    } else f.append(ch);
                }
                if (i < line.length() && line.charAt(i) != ',') throw new IllegalArgumentException("text after a closing quote");
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? line.length() : comma;
                f.append(line, i, end);
                i = end;
            }
            out.add(f.toString());
            if (i >= line.length()) return out;
            i++;
        }
    }
}
