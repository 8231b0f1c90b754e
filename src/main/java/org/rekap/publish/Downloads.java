package org.rekap.publish;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.region.RegionTree;

/**
 * The TPS downloads of any region, from one snapshot, so their rows add up to that snapshot's documents. Chunks are
 * produced lazily (header, then each village's rows in tree order) so a national file streams with flat memory.
 */
public final class Downloads {
    private Downloads() {}

    /** CSV chunks for a region and contest, or null when the contest has no document there. */
    public static Iterator<byte[]> csv(Snapshot snapshot, Election election, String code, String contestId) {
        RegionTree tree = election.tree();
        int node = tree.index(code);
        Contest contest = election.publishedContest(contestId);
        if (node < 0 || tree.isTps(node) || contest == null || snapshot.view(node, contestId) == null) return null;
        byte[] header = TpsCsv.header(contest).getBytes(StandardCharsets.UTF_8);
        int end = tree.regionEnd(node);
        return new Iterator<>() {
            private boolean headerSent;
            // Regions of a subtree are one index range in pre-order: villages come out in tree order.
            private int r = node;
            private byte[] next = advance();

            private byte[] advance() {
                if (!headerSent) {
                    headerSent = true;
                    return header;
                }
                while (r < end) {
                    int region = r++;
                    byte[] view = snapshot.view(region, contestId);
                    if (view == null || !FrozenView.hasTps(view)) continue;
                    DocumentWriter.RegionView v = FrozenView.thaw(tree, contest, region, view);
                    return TpsCsv.rows(tree, contest, v.children(), v.childStatus());
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public byte[] next() {
                if (next == null) throw new NoSuchElementException();
                byte[] out = next;
                next = advance();
                return out;
            }
        };
    }

    /**
     * The same rows as JSON: {@code {"contest","region","logSize","columns":[..],"rows":[[..],..]}}, where empty CSV
     * cells are null and numeric columns are numbers. Null when the contest has no document there.
     */
    public static Iterator<byte[]> json(Snapshot snapshot, Election election, String code, String contestId) {
        Iterator<byte[]> csv = csv(snapshot, election, code, contestId);
        if (csv == null) return null;
        String header = new String(csv.next(), StandardCharsets.UTF_8).strip();
        StringBuilder head = new StringBuilder("{\"contest\":\"").append(contestId).append("\",\"region\":\"").append(code)
                .append("\",\"logSize\":").append(snapshot.logSize()).append(",\"columns\":[");
        String[] columns = header.split(",");
        for (int i = 0; i < columns.length; i++) head.append(i == 0 ? "" : ",").append('"').append(columns[i]).append('"');
        head.append("],\"rows\":[");
        return new Iterator<>() {
            private boolean headSent, tailSent, first = true;

            @Override
            public boolean hasNext() {
                return !tailSent;
            }

            @Override
            public byte[] next() {
                if (!headSent) {
                    headSent = true;
                    return head.toString().getBytes(StandardCharsets.UTF_8);
                }
                if (csv.hasNext()) return rows(new String(csv.next(), StandardCharsets.UTF_8));
                if (tailSent) throw new NoSuchElementException();
                tailSent = true;
                return "]}\n".getBytes(StandardCharsets.UTF_8);
            }

            private byte[] rows(String chunk) {
                StringBuilder sb = new StringBuilder(chunk.length() + 64);
                for (String line : chunk.split("\n")) {
                    if (line.isEmpty()) continue;
                    sb.append(first ? "" : ",").append('[');
                    first = false;
                    String[] cells = line.split(",", -1);
                    for (int i = 0; i < cells.length; i++) {
                        if (i > 0) sb.append(',');
                        // contest, tps, region and status are text; every other column is a count.
                        boolean text = i <= 2 || i == 4;
                        if (cells[i].isEmpty()) sb.append("null");
                        else if (text) sb.append('"').append(cells[i]).append('"');
                        else sb.append(cells[i]);
                    }
                    sb.append(']');
                }
                return sb.toString().getBytes(StandardCharsets.UTF_8);
            }
        };
    }
}
