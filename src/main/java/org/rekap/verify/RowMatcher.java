package org.rekap.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.rekap.region.RegionTree;

/**
 * Compares the rows of a published download, as they stream in, with the rows the replay gives, in order and cell by
 * cell, naming the TPS and the column of every difference. Memory stays proportional to the rows out of place, so a
 * national file is checked in one pass.
 */
final class RowMatcher {
    /** Receives the differences. */
    interface Sink {
        /** A TPS's row ({@code tps} null for the file as a whole) differs in {@code column} (null: the whole row). */
        void differs(String tps, String column, String what, String expected, String found);
    }

    private static final int LOOKAHEAD = 16;

    private final RegionTree tree;
    private final List<String> columns;
    private final List<Integer> expectedTps;
    private final IntFunction<String[]> expectedRow;
    private final Sink sink;
    private int[] foundIndex;
    private int tpsColumn = -1;
    private int foundColumns;
    private int next;
    private long rows;
    private boolean orderReported;
    private final Map<String, String[]> strayFound = new LinkedHashMap<>();
    private final Map<String, Integer> skippedExpected = new HashMap<>();

    /**
     * @param columns the expected columns
     * @param expectedTps the TPS nodes in the order the download must list them
     * @param expectedRow a TPS node's expected cells
     */
    RowMatcher(RegionTree tree, List<String> columns, List<Integer> expectedTps, IntFunction<String[]> expectedRow,
            Sink sink) {
        this.tree = tree;
        this.columns = columns;
        this.expectedTps = expectedTps;
        this.expectedRow = expectedRow;
        this.sink = sink;
    }

    /** The published header; returns false when the rows cannot be read (no {@code tps} column). */
    boolean header(List<String> found) {
        foundColumns = found.size();
        if (!found.equals(columns))
            sink.differs(null, "header", "the columns are not those of docs/formats.md for this contest",
                    String.join(",", columns), String.join(",", found));
        foundIndex = new int[columns.size()];
        for (int j = 0; j < columns.size(); j++) foundIndex[j] = found.indexOf(columns.get(j));
        tpsColumn = found.indexOf("tps");
        if (tpsColumn < 0) sink.differs(null, "tps", "the download has no tps column: its rows cannot be checked", null, null);
        return tpsColumn >= 0;
    }

    /** One published row, in file order. */
    void row(String[] cells) {
        rows++;
        if (cells.length <= tpsColumn) {
            sink.differs(null, null, "row " + rows + " has " + cells.length + " cells, the header " + foundColumns,
                    Integer.toString(foundColumns), Integer.toString(cells.length));
            return;
        }
        String code = cells[tpsColumn];
        if (next < expectedTps.size() && tree.code(expectedTps.get(next)).equals(code)) {
            compare(expectedTps.get(next++), cells);
            return;
        }
        Integer skipped = skippedExpected.remove(code);
        if (skipped != null) {
            outOfOrder(code);
            compare(skipped, cells);
            return;
        }
        for (int k = 1; k <= LOOKAHEAD && next + k < expectedTps.size(); k++) {
            if (!tree.code(expectedTps.get(next + k)).equals(code)) continue;
            // The rows before it are missing here: they may still come later, out of order.
            for (int s = next; s < next + k; s++) skippedExpected.put(tree.code(expectedTps.get(s)), expectedTps.get(s));
            next += k;
            compare(expectedTps.get(next++), cells);
            return;
        }
        if (strayFound.put(code, cells) != null)
            sink.differs(code, null, "the download lists TPS " + code + " twice", "one row", "two or more");
    }

    /** After the last row: reports rows missing, rows out of order and rows the replay does not have. */
    void finish() {
        List<Integer> missing = new ArrayList<>(skippedExpected.values());
        for (int s = next; s < expectedTps.size(); s++) missing.add(expectedTps.get(s));
        missing.sort(Integer::compare);
        for (int t : missing) {
            String code = tree.code(t);
            String[] cells = strayFound.remove(code);
            if (cells != null) {
                outOfOrder(code);
                compare(t, cells);
            } else {
                sink.differs(code, null, "the download has no row for TPS " + code, "a row", null);
            }
        }
        for (String code : strayFound.keySet())
            sink.differs(code, null, "the download has a row for TPS " + code + ", which the replay does not list here",
                    null, "a row");
    }

    long rows() {
        return rows;
    }

    private void outOfOrder(String code) {
        if (orderReported) return;
        orderReported = true;
        sink.differs(code, null, "rows are not in tree order (first out of place: TPS " + code + ")", "tree order",
                "another order");
    }

    private void compare(int tps, String[] cells) {
        String[] exp = expectedRow.apply(tps);
        String code = tree.code(tps);
        if (cells.length != foundColumns)
            sink.differs(code, null, "the row has " + cells.length + " cells, the header " + foundColumns,
                    Integer.toString(foundColumns), Integer.toString(cells.length));
        for (int j = 0; j < exp.length; j++) {
            int f = foundIndex[j];
            if (f < 0) continue;
            String got = f < cells.length ? cells[f] : null;
            if (!exp[j].equals(got))
                sink.differs(code, columns.get(j), "TPS " + code + ": " + columns.get(j) + " differs from the replay",
                        exp[j].isEmpty() ? "(empty)" : exp[j], got == null ? null : got.isEmpty() ? "(empty)" : got);
        }
    }
}
