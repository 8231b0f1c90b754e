package org.rekap.publish;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.region.RegionTree;
import org.rekap.tally.Tally;

/**
 * Builds snapshots. {@link #refresh} copies the numbers of what changed out of the tally into packed frozen views
 * (holding its monitor briefly), renders and compresses the changed hot documents off the lock, and publishes a new
 * {@link Snapshot} with one volatile write. Deep documents are rendered from their views only when someone asks
 * ({@link LazyDocuments}), so a snapshot costs copying numbers, not rendering a quarter million documents; unchanged
 * views and documents are shared with the previous snapshot.
 */
public final class Publisher {
    /** Documents of regions this deep or shallower are kept rendered: they are the ones everybody reads. */
    static final int HOT_DEPTH = 2;

    private final Tally tally;
    private final Election election;
    private final String electionName;
    private final LogSigning signing;
    private final DocIndex index;
    private final int[] depth;
    private volatile Snapshot current;

    public Publisher(Tally tally, String electionName, LogSigning signing) {
        this.tally = tally;
        this.election = tally.election();
        this.electionName = electionName;
        this.signing = signing;
        this.index = new DocIndex(tally);
        RegionTree tree = election.tree();
        depth = new int[tree.regionCount()];
        for (int node = 1; node < depth.length; node++) depth[node] = depth[tree.parent(node)] + 1;
        LazyDocuments lazy = new LazyDocuments(election, electionName, index);
        Map<String, Document> menus = new HashMap<>();
        for (int node = 0; node < depth.length; node++)
            if (depth[node] <= HOT_DEPTH)
                menus.put(Snapshot.contestsPath(tree.code(node)), Document.of(LazyDocuments.JSON, lazy.renderContests(node), 0, true));
        current = new Snapshot(-1, Instant.now(), LayeredMap.of(menus), ChunkedArray.empty(index.size()), lazy, null);
    }

    /** Builds and publishes a snapshot of everything that changed. Called by one thread at a time. */
    public synchronized void refresh() {
        Snapshot previous = current;
        RegionTree tree = election.tree();
        long size;
        int[] ids;
        byte[][] views;
        synchronized (tally) {
            size = tally.logSize();
            ids = dirtyIds();
            views = new byte[ids.length][];
            // Packing numbers is all the work done under the monitor (about a microsecond per TPS and contest). The
            // pool's threads read the tally on this thread's behalf: reads change nothing, and no writer can run
            // while this thread holds the monitor (taking it, and handing them work, orders their reads after
            // every write).
            int[] at = ids;
            IntStream.range(0, at.length).parallel()
                    .forEach(k -> views[k] = FrozenView.freeze(tally, tree, index.contest(at[k]), index.node(at[k])));
        }
        if (ids.length == 0 && size == previous.logSize()) return;
        Map<String, Document> changed = new ConcurrentHashMap<>();
        // Rendering and compressing the hot documents is pure and per document: use every core.
        IntStream.range(0, ids.length).parallel().forEach(k -> {
            int node = index.node(ids[k]);
            if (depth[node] > HOT_DEPTH) return;
            Contest c = index.contest(ids[k]);
            byte[] body = DocumentWriter.region(election, electionName, FrozenView.thaw(tree, c, node, views[k]));
            changed.put(Snapshot.regionPath(tree.code(node), c.id()), Document.of(LazyDocuments.JSON, body, size, true));
        });
        changed.put(Snapshot.ELECTION, Document.of(LazyDocuments.JSON, DocumentWriter.election(election, electionName, size, signing), size, true));
        Document checkpoint = Document.of("text/plain; charset=utf-8", signing.checkpoint(size), size, true);
        current = new Snapshot(size, Instant.now(), previous.kept().with(changed), previous.views().with(ids, views),
                previous.lazy(), checkpoint);
    }

    /** Ids of the region documents whose numbers changed since the last call; the caller holds the tally's monitor. */
    private int[] dirtyIds() {
        int n = 0;
        int[] ids = new int[64];
        for (Contest c : election.published()) {
            for (int node : tally.drainDirty(c.id())) {
                if (n == ids.length) ids = java.util.Arrays.copyOf(ids, n * 2);
                ids[n++] = index.id(node, c);
            }
        }
        return java.util.Arrays.copyOf(ids, n);
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
