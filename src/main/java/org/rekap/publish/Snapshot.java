package org.rekap.publish;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Spliterator;
import org.rekap.region.RegionTree;

/**
 * Everything the public side serves at one log size. Immutable; the publisher swaps whole snapshots, so a response
 * built from one snapshot never mixes in another. {@code checkpoint} is the signed checkpoint (C2SP tlog-checkpoint in
 * a signed note) of the log at {@code logSize}: every document of the snapshot can be checked against it.
 *
 * <p>Each region document has a frozen view (the numbers it is rendered from, {@link FrozenView}); the hot ones (the
 * upper levels, which every reader asks for) are also kept rendered and compressed, the deep ones are rendered when
 * someone asks ({@link LazyDocuments}). A village's view also gives its TPS rows and the log position of each TPS's
 * current sheet.
 */
public final class Snapshot {
    public static final String ELECTION = "election.json";
    private static final String REGIONS = "regions/", JSON = ".json";

    private final long logSize;
    private final Instant builtAt;
    private final LayeredMap<String, Document> kept;
    private final ChunkedArray<byte[]> views;
    private final LazyDocuments lazy;
    private final Document checkpoint;

    Snapshot(long logSize, Instant builtAt, LayeredMap<String, Document> kept, ChunkedArray<byte[]> views,
            LazyDocuments lazy, Document checkpoint) {
        this.logSize = logSize;
        this.builtAt = builtAt;
        this.kept = kept;
        this.views = views;
        this.lazy = lazy;
        this.checkpoint = checkpoint;
    }

    public long logSize() {
        return logSize;
    }

    public Instant builtAt() {
        return builtAt;
    }

    public Document checkpoint() {
        return checkpoint;
    }

    LayeredMap<String, Document> kept() {
        return kept;
    }

    ChunkedArray<byte[]> views() {
        return views;
    }

    LazyDocuments lazy() {
        return lazy;
    }

    /** The frozen view of a region document, or null (no such document, or before the first snapshot). */
    byte[] view(int node, String contestId) {
        int id = lazy.index().id(node, contestId);
        return id < 0 ? null : views.get(id);
    }

    /**
     * The document at a path ({@code election.json}, {@code regions/<code>.json}, {@code regions/<code>/<contest>.json}),
     * or null. A deep one costs no rendering until its bytes are asked for.
     */
    public Document document(String path) {
        Document d = kept.get(path);
        if (d != null) return d;
        Place ref = locate(path);
        if (ref == null) return null;
        return ref.id() < 0 ? lazy.contests(ref.node(), logSize) : lazy.region(ref.id(), views.get(ref.id()), logSize);
    }

    /** A lazy document's place: its region, and its id (-1 for the region's contest menu). */
    private record Place(int node, int id) {}

    /** Where the lazy document at a path is, or null when there is none. */
    private Place locate(String path) {
        if (!path.startsWith(REGIONS) || !path.endsWith(JSON)) return null;
        String rest = path.substring(REGIONS.length(), path.length() - JSON.length());
        int slash = rest.indexOf('/');
        RegionTree tree = lazy.index().tree();
        int node = tree.index(slash < 0 ? rest : rest.substring(0, slash));
        if (node < 0 || tree.isTps(node)) return null;
        if (slash < 0) return new Place(node, -1);
        int id = lazy.index().id(node, rest.substring(slash + 1));
        return id < 0 || views.get(id) == null ? null : new Place(node, id);
    }

    /** The log position of a TPS's current sheet in a contest, or -1 (none yet, or unknown TPS). */
    public long currentSeq(RegionTree tree, int tps, String contest) {
        int parent = tree.parent(tps);
        byte[] view = parent < 0 ? null : view(parent, contest);
        return view == null ? -1 : FrozenView.seqOf(tree, lazy.index().contest(lazy.index().id(parent, contest)), parent, view, tps);
    }

    /**
     * Every document of the snapshot by path, each rendered when its entry is read (and not cached): for exports and
     * tests that walk the whole site, not for serving.
     */
    public Map<String, Document> documents() {
        List<String> paths = new ArrayList<>(views.length() * 2);
        paths.addAll(kept.keySet());
        DocIndex index = lazy.index();
        RegionTree tree = index.tree();
        for (int node = 0; node < tree.regionCount(); node++) {
            String code = tree.code(node);
            String menu = contestsPath(code);
            if (!kept.containsKey(menu)) paths.add(menu);
            for (int id = index.first(node); id < index.first(node + 1); id++) {
                String p = regionPath(code, index.contest(id).id());
                if (!kept.containsKey(p) && views.get(id) != null) paths.add(p);
            }
        }
        return new AbstractMap<>() {
            @Override
            public Document get(Object key) {
                return key instanceof String p ? detached(p) : null;
            }

            @Override
            public int size() {
                return paths.size();
            }

            @Override
            public Set<Entry<String, Document>> entrySet() {
                return new AbstractSet<>() {
                    @Override
                    public Iterator<Entry<String, Document>> iterator() {
                        return paths.stream().map(this::entry).iterator();
                    }

                    @Override
                    public Spliterator<Entry<String, Document>> spliterator() {
                        return paths.stream().map(this::entry).spliterator();
                    }

                    private Entry<String, Document> entry(String p) {
                        return new SimpleImmutableEntry<>(p, detached(p));
                    }

                    @Override
                    public int size() {
                        return paths.size();
                    }
                };
            }
        };
    }

    /** The document at a path with its bytes kept: a lazy one is rendered now, past the cache, under its own tag. */
    private Document detached(String path) {
        Document d = document(path);
        if (d == null || d.kept()) return d;
        Place ref = locate(path);
        byte[] body = ref.id() < 0 ? lazy.renderContests(ref.node()) : lazy.renderRegion(ref.id(), views.get(ref.id()));
        return Document.kept(d.contentType(), body, d.etag(), logSize);
    }

    public static String regionPath(String code, String contest) {
        return REGIONS + code + "/" + contest + JSON;
    }

    public static String contestsPath(String code) {
        return REGIONS + code + JSON;
    }
}
