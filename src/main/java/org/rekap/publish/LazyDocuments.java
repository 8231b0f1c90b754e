package org.rekap.publish;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.stream.IntStream;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.region.RegionTree;

/**
 * The documents that are not kept as bytes: deep region documents, rendered from a snapshot's frozen view on
 * request, and the contest menus of deep regions (fixed for the election). Rendered bytes are cached per coding in a
 * cache bounded by their size, so only the codings clients ask for take memory (identity stays rare). A document's
 * tag is a hash of what it is rendered from (the set-up, its id, its frozen view), so a revalidation is answered
 * without rendering, and equal views give equal tags across snapshots and restarts.
 */
final class LazyDocuments {
    static final String JSON = "application/json; charset=utf-8";
    /** Bump when the rendering of documents changes, so that no client keeps old bytes under an old tag. */
    private static final String FORMAT = "rekap-documents-1";
    /** Rendered bytes kept at most (plus per-entry overhead); a crawler's walk evicts only the least used ones. */
    static final long CACHE_BYTES = Long.getLong("rekap.documentCacheBytes", 64L << 20);
    private static final Object CONTESTS = new Object();

    private final Election election;
    private final String electionName;
    private final DocIndex index;
    private final byte[] salt;
    private final Cache<Key, byte[]> cache = Caffeine.newBuilder().maximumWeight(CACHE_BYTES)
            .<Key, byte[]>weigher((k, v) -> v.length + 96).build();

    /** One coding of one rendering: {@code source} is the frozen view (compared by identity) or CONTESTS. */
    private record Key(Object source, int id, Document.Coding coding) {}

    LazyDocuments(Election election, String electionName, DocIndex index) {
        this.election = election;
        this.electionName = electionName;
        this.index = index;
        this.salt = salt(election, electionName);
    }

    DocIndex index() {
        return index;
    }

    /** The region document of {@code id} as frozen in {@code view}, rendered when its bytes are asked for. */
    Document region(int id, byte[] view, long logSize) {
        return Document.rendered(JSON, tag(id, view), logSize, coding -> bytes(new Key(view, id, coding)));
    }

    /** A region's contest menu. */
    Document contests(int node, long logSize) {
        return Document.rendered(JSON, tag(-1 - node, new byte[0]), logSize, coding -> bytes(new Key(CONTESTS, node, coding)));
    }

    /** The identity bytes of a region document, rendered now and not cached. */
    byte[] renderRegion(int id, byte[] view) {
        RegionTree tree = index.tree();
        Contest c = index.contest(id);
        return DocumentWriter.region(election, electionName, FrozenView.thaw(tree, c, index.node(id), view));
    }

    byte[] renderContests(int node) {
        return DocumentWriter.contestsAt(index.tree(), node, index.contestIds(node));
    }

    private byte[] bytes(Key key) {
        return cache.get(key, k -> {
            byte[] identity = k.source() == CONTESTS ? renderContests(k.id()) : renderRegion(k.id(), (byte[]) k.source());
            return switch (k.coding()) {
                case IDENTITY -> identity;
                case GZIP -> Encodings.gzip(identity);
                case BROTLI -> Encodings.brotli(identity);
            };
        });
    }

    private String tag(int id, byte[] view) {
        MessageDigest md = Document.sha256();
        md.update(salt);
        md.update(ByteBuffer.allocate(4).putInt(0, id));
        md.update(view);
        return Document.tag(md.digest());
    }

    /**
     * SHA-256 of everything besides the frozen numbers that rendering reads: the format, the election's name, its
     * contests and every node of the tree (code, parent, level, name, dpt). Hashed in parallel slices.
     */
    private static byte[] salt(Election election, String electionName) {
        RegionTree tree = election.tree();
        int slice = 1 << 16, slices = (tree.size() + slice - 1) / slice;
        byte[][] parts = new byte[slices][];
        IntStream.range(0, slices).parallel().forEach(p -> {
            MessageDigest md = Document.sha256();
            StringBuilder row = new StringBuilder(128);
            for (int i = p * slice; i < Math.min(tree.size(), (p + 1) * slice); i++) {
                row.setLength(0);
                row.append(tree.code(i)).append('\t').append(tree.parent(i)).append('\t').append(tree.level(i))
                        .append('\t').append(tree.name(i)).append('\t').append(tree.dpt(i)).append('\n');
                md.update(row.toString().getBytes(StandardCharsets.UTF_8));
            }
            parts[p] = md.digest();
        });
        MessageDigest md = Document.sha256();
        StringBuilder head = new StringBuilder(FORMAT).append('\n').append(electionName).append('\n');
        for (Contest c : election.published())
            head.append(c.id()).append('\t').append(c.choices().size()).append('\t').append(c.candidateCount()).append('\n');
        md.update(head.toString().getBytes(StandardCharsets.UTF_8));
        for (byte[] part : parts) md.update(part);
        return md.digest();
    }
}
