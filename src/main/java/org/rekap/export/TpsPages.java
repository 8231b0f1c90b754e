package org.rekap.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.ledger.LogEntry;
import org.rekap.publish.Document;
import org.rekap.publish.TpsDetail;
import org.rekap.region.RegionTree;
import org.rekap.tally.SheetStatus;
import org.rekap.tally.Tally;

/**
 * TPS pages of a static export. A file per TPS page is what made a national export slow (820,161 TPS, three contests
 * each), so the export writes the page only where the browser cannot build it: where the sheet is held (its page lists
 * the rules it breaks) or the current version is a reviewer's decision (its page lists the versions). Every other page
 * is built by the static site itself (app.js) from what the export has anyway: a TPS without a sheet from its village's
 * document, a counted sheet from that document and the sheet's log entry in its entry bundle, which the page's
 * verification fetches too.
 *
 * <p>Use: {@link #visit} each log entry in order (it notes the current entries that are not plain sheets and the photos
 * of the plain ones), then {@link #write}.
 */
final class TpsPages {
    /**
     * A sheet entry's canonical bytes end with these (docs/formats.md: keys sorted, no whitespace, so {@code type} and
     * {@code v} are a sheet entry's last keys); a review decision's do not.
     */
    private static final byte[] SHEET_END = "\"type\":\"sheet\",\"v\":1}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PHOTOS = "\"photos\":[".getBytes(StandardCharsets.US_ASCII);

    /** One TPS in one of its contests, with its current entry. */
    private record Current(int tps, String contest, long seq) {}

    private final Election election;
    private final String electionName;
    private final Tally tally;
    private final List<Current> current = new ArrayList<>();
    private final BitSet wanted = new BitSet();
    private final BitSet notPlain = new BitSet();
    private final Set<String> photos = ConcurrentHashMap.newKeySet();

    TpsPages(Election election, String electionName, Tally tally) {
        this.election = election;
        this.electionName = electionName;
        this.tally = tally;
        RegionTree tree = election.tree();
        // The tally is the one the snapshot was published from, at the same log size: its current sheets are the
        // snapshot's. Roll-ups (e.g. all DPR districts) take no sheets, so contestsAt never names them.
        for (int node = tree.regionCount(); node < tree.size(); node++) {
            for (Contest c : election.contestsAt(node)) {
                long seq = tally.currentSeq(c.id(), node);
                if (seq < 0) continue;
                current.add(new Current(node, c.id(), seq));
                wanted.set(Math.toIntExact(seq));
            }
        }
    }

    /** Notes what a log entry means for the pages. Called in log order from one thread. */
    void visit(LogEntry e) {
        int seq = Math.toIntExact(e.seq());
        if (!wanted.get(seq)) return;
        if (endsWith(e.bytes(), SHEET_END)) photosIn(e.bytes(), photos);
        else notPlain.set(seq);
    }

    /** The pages to write: held sheets and reviewed ones. Valid after every entry was visited. */
    int count() {
        int n = 0;
        for (Current c : current) if (needsPage(c)) n++;
        return n;
    }

    /**
     * Writes the pages the browser cannot build, rendered by the server's own {@link TpsDetail}.
     *
     * @param read reads one log entry (only these pages' entries and the versions they go back to are read)
     */
    void write(ExportFiles out, LongFunction<LogEntry> read, Runnable advance) {
        RegionTree tree = election.tree();
        current.parallelStream().filter(this::needsPage).forEach(c -> {
            Document d = TpsDetail.render(election, electionName, read, c.seq());
            out.put("api/v1/tps/" + tree.code(c.tps()) + "/" + c.contest() + ".json", d.identity());
            photosOf(d);
            advance.run();
        });
    }

    /** The photos the current sheets name (after {@link #write}). */
    Set<String> photos() {
        return photos;
    }

    private boolean needsPage(Current c) {
        return notPlain.get(Math.toIntExact(c.seq())) || tally.status(c.contest(), c.tps()) == SheetStatus.HELD;
    }

    private void photosOf(Document tpsDetail) {
        try {
            for (var p : org.rekap.codec.Json.MAPPER.readTree(tpsDetail.identity()).path("photos"))
                photos.add(p.path("sha256").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The strings of the {@code "photos":[...]} array in a sheet entry's canonical bytes (hex, no escapes). */
    static void photosIn(byte[] entry, Set<String> into) {
        int at = indexOf(entry, PHOTOS);
        if (at < 0) return;
        int i = at + PHOTOS.length;
        while (i < entry.length && entry[i] == '"') {
            int end = i + 1;
            while (end < entry.length && entry[end] != '"') end++;
            into.add(new String(entry, i + 1, end - i - 1, StandardCharsets.US_ASCII));
            i = end + 1;
            if (i < entry.length && entry[i] == ',') i++;
        }
    }

    private static boolean endsWith(byte[] bytes, byte[] end) {
        if (bytes.length < end.length) return false;
        for (int i = 0; i < end.length; i++) if (bytes[bytes.length - end.length + i] != end[i]) return false;
        return true;
    }

    private static int indexOf(byte[] bytes, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= bytes.length; i++) {
            for (int j = 0; j < what.length; j++) if (bytes[i + j] != what[j]) continue outer;
            return i;
        }
        return -1;
    }
}
