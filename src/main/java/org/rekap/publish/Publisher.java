package org.rekap.publish;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.region.RegionTree;
import org.rekap.tally.SheetStatus;
import org.rekap.tally.Tally;
import org.rekap.tally.Totals;

/**
 * Builds snapshots. {@link #refresh} copies what changed out of the tally (holding its monitor briefly), renders and
 * compresses the changed documents off the lock, and publishes a new {@link Snapshot} with one volatile write. Only
 * documents of regions whose numbers changed are rebuilt; the rest are shared with the previous snapshot.
 */
public final class Publisher {
    /** Documents of regions this deep or shallower keep identity bytes: they are the ones everybody reads. */
    private static final int IDENTITY_DEPTH = 2;
    private static final String JSON = "application/json; charset=utf-8";

    private final Tally tally;
    private final Election election;
    private final String electionName;
    private final LogSigning signing;
    private volatile Snapshot current;

    public Publisher(Tally tally, String electionName, LogSigning signing) {
        this.tally = tally;
        this.election = tally.election();
        this.electionName = electionName;
        this.signing = signing;
        RegionTree tree = election.tree();
        Map<String, Document> docs = new ConcurrentHashMap<>();
        java.util.stream.IntStream.range(0, tree.regionCount()).parallel().forEach(node -> {
            List<String> ids = new ArrayList<>();
            for (Contest c : election.published()) if (tally.has(c.id(), node)) ids.add(c.id());
            docs.put(Snapshot.contestsPath(tree.code(node)),
                    Document.of(JSON, DocumentWriter.contestsAt(tree, node, ids), 0, tree.depth(node) <= IDENTITY_DEPTH));
        });
        current = new Snapshot(-1, Instant.now(), Map.copyOf(docs), Map.of(), Map.of(), null);
    }

    /** Builds and publishes a snapshot of everything that changed. Called by one thread at a time. */
    public synchronized void refresh() {
        long size;
        Snapshot previous = current;
        Map<String, Document> changed = new ConcurrentHashMap<>();
        Map<String, byte[]> rows = new ConcurrentHashMap<>();
        Map<String, long[]> seqs = new ConcurrentHashMap<>();
        boolean any = false;
        if (previous.logSize() < 0) {
            // The first snapshot has every region of every contest to render: copying all their totals first would
            // hold gigabytes at national scale. It renders contest by contest instead, under the tally's monitor
            // (made before the server takes entries, so nobody waits), keeping one contest's copies at a time.
            synchronized (tally) {
                size = tally.logSize();
                for (Contest c : election.published()) {
                    List<DocumentWriter.RegionView> views = copy(c);
                    any |= !views.isEmpty();
                    render(views, size, changed, rows, seqs);
                }
            }
        } else {
            List<DocumentWriter.RegionView> views = new ArrayList<>();
            synchronized (tally) {
                size = tally.logSize();
                for (Contest c : election.published()) views.addAll(copy(c));
            }
            any = !views.isEmpty();
            render(views, size, changed, rows, seqs);
        }
        if (!any && size == previous.logSize()) return;
        changed.put(Snapshot.ELECTION, Document.of(JSON, DocumentWriter.election(election, electionName, size, signing), size, true));
        Document checkpoint = Document.of("text/plain; charset=utf-8", signing.checkpoint(size), size, true);
        current = new Snapshot(size, Instant.now(), layered(previous.documents()).with(changed),
                layered(previous.tpsRows()).with(rows), layered(previous.tpsSeqs()).with(seqs), checkpoint);
    }

    private static <V> LayeredMap<String, V> layered(Map<String, V> map) {
        return map instanceof LayeredMap<String, V> l ? l : LayeredMap.of(map);
    }

    /** What changed in a contest since the last snapshot, copied out of the tally; the caller holds its monitor. */
    private List<DocumentWriter.RegionView> copy(Contest c) {
        RegionTree tree = election.tree();
        List<DocumentWriter.RegionView> views = new ArrayList<>();
        for (int node : tally.drainDirty(c.id())) {
            List<Integer> kids = tally.children(c.id(), node);
            List<Totals> children = new ArrayList<>(kids.size());
            List<SheetStatus> status = null;
            long[] seqs = null;
            for (int k : kids) children.add(tally.totals(c.id(), k));
            if (kids.stream().anyMatch(tree::isTps)) {
                status = new ArrayList<>(kids.size());
                seqs = new long[kids.size()];
                for (int i = 0; i < kids.size(); i++) {
                    status.add(tally.status(c.id(), kids.get(i)));
                    seqs[i] = tree.isTps(kids.get(i)) ? tally.currentSeq(c.id(), kids.get(i)) : -1;
                }
            }
            views.add(new DocumentWriter.RegionView(c, tally.totals(c.id(), node), children, status, seqs,
                    tally.changedAt(c.id(), node)));
        }
        return views;
    }

    /** Renders and compresses documents, rows and positions of these views at log size {@code at}. */
    private void render(List<DocumentWriter.RegionView> views, long at, Map<String, Document> changed,
            Map<String, byte[]> rows, Map<String, long[]> seqs) {
        RegionTree tree = election.tree();
        // Rendering and compressing are pure and per document: use every core.
        views.parallelStream().forEach(v -> {
            int node = v.totals().node();
            String code = tree.code(node);
            changed.put(Snapshot.regionPath(code, v.contest().id()), Document.of(JSON,
                    DocumentWriter.region(election, electionName, v), at, tree.depth(node) <= IDENTITY_DEPTH));
            if (v.childStatus() != null) {
                rows.put(code + "/" + v.contest().id(), TpsCsv.rows(tree, v.contest(), v.children(), v.childStatus()));
                long[] bySeq = new long[tree.childCount(node)];
                java.util.Arrays.fill(bySeq, -1);
                for (int i = 0, k = 0; k < bySeq.length && i < v.children().size(); k++)
                    if (tree.child(node, k) == v.children().get(i).node()) bySeq[k] = v.childSeq()[i++];
                seqs.put(code + "/" + v.contest().id(), bySeq);
            }
        });
    }

    /** The latest snapshot. */
    public Snapshot snapshot() {
        return current;
    }

    public Election election() {
        return election;
    }

    public LogSigning signing() {
        return signing;
    }

    /** Log size reflected by the latest snapshot (-1 before the first). */
    public long publishedSize() {
        return current.logSize();
    }
}
