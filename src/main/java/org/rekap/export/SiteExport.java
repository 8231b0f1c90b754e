package org.rekap.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.rekap.codec.ContestsJson;
import org.rekap.codec.RegionCsv;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.ledger.EntryBundle;
import org.rekap.ledger.InMemoryHashStore;
import org.rekap.ledger.LogEntry;
import org.rekap.ledger.MerkleHash;
import org.rekap.ledger.MerkleTree;
import org.rekap.ledger.NoteSigner;
import org.rekap.ledger.Tile;
import org.rekap.ledger.TileLayout;
import org.rekap.officer.Intake;
import org.rekap.publish.Document;
import org.rekap.publish.Downloads;
import org.rekap.publish.LogSigning;
import org.rekap.publish.Publisher;
import org.rekap.publish.SearchIndex;
import org.rekap.publish.Snapshot;
import org.rekap.publish.TpsDetail;
import org.rekap.region.RegionTree;
import org.rekap.store.ElectionStore;
import org.rekap.store.PhotoStore;
import org.rekap.store.Setup;
import org.rekap.tally.Tally;
import org.rekap.verify.ProgressListener;

/**
 * Writes the whole public site as static files (docs/export.md): the public pages, every document of one snapshot,
 * every download, every TPS page, the signed checkpoint with its tiles and entry bundles, the set-up, a search index,
 * and the photos the published sheets name. Each compressible file gets a {@code .gz} twin for nginx's gzip_static.
 *
 * <p>Consistency: the log is read once up to one size, replayed in memory (the store is never written), and every file
 * is derived from that replay, so the export is one snapshot. It is written into a fresh directory next to the target
 * and published by atomically replacing the target symlink: a reader sees the previous export or this one, never a mix.
 */
public final class SiteExport {
    /** What an export wrote. */
    public record Result(Path target, Path directory, long logSize, long files, long bytes) {}

    private static final String API = "api/v1/";
    /** The public pages; the officer app ({@code petugas/}) is the write side and stays on the origin. */
    private static final String OFFICER_APP = "petugas";

    private final ElectionStore store;
    private final NoteSigner signer;
    private final Path photoDir;
    private final ProgressListener progress;
    private final LongAdder files = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private Path out;

    public SiteExport(ElectionStore store, NoteSigner signer, Path photoDir, ProgressListener progress) {
        this.store = store;
        this.signer = signer;
        this.photoDir = photoDir;
        this.progress = progress;
    }

    /**
     * Exports to {@code target}, which must be absent or a symlink (an earlier export): the new export is written to
     * {@code <target>.v<log size>-<millis>} beside it, then {@code target} is switched to it in one rename and the
     * directory of the previous export is removed.
     *
     * @throws ExportException when the target cannot be used (saying what to do)
     */
    public Result export(Path target) throws ExportException {
        Path to = target.toAbsolutePath().normalize();
        Path parent = to.getParent();
        if (parent == null) throw new ExportException("cannot export to the file system root; give a directory such as ./site");
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(to))
            throw new ExportException(to + " already exists and is not an earlier export (exports are published by"
                    + " switching a symlink there, so that readers never see half an export); remove it or choose"
                    + " another --to");
        Setup setup = store.loadSetup().orElseThrow(() -> new ExportException("the data directory has no election;"
                + " run 'rekap import' or 'rekap demo' first"));
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new ExportException("cannot create " + parent + ": " + e.getMessage());
        }
        Election election = setup.election();
        long size = store.logSize();
        Replayed r = replay(election, size);
        Publisher publisher = new Publisher(r.tally(), setup.name(), new LogSigning(signer, () -> r.tree()));
        publisher.refresh();
        Snapshot snapshot = publisher.snapshot();
        long stamp = System.currentTimeMillis();
        Path partial = parent.resolve("." + to.getFileName() + ".partial-" + stamp);
        Path version = parent.resolve(to.getFileName() + ".v" + size + "-" + stamp);
        out = partial;
        try {
            Files.createDirectories(partial);
            writeSite(setup, election, snapshot, r);
            Files.move(partial, version, StandardCopyOption.ATOMIC_MOVE);
            Path previous = Files.isSymbolicLink(to) ? parent.resolve(Files.readSymbolicLink(to)) : null;
            Path link = parent.resolve("." + to.getFileName() + ".link-" + stamp);
            Files.createSymbolicLink(link, version.getFileName());
            Files.move(link, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // Only a directory this command made is removed: the name says so.
            if (previous != null && previous.getFileName().toString().startsWith(to.getFileName() + ".v")
                    && !previous.equals(version))
                deleteTree(previous);
        } catch (IOException | UncheckedIOException e) {
            deleteQuietly(partial);
            throw new ExportException("writing the export under " + parent + " failed: " + e.getMessage()
                    + "; check free space and permissions, then run again");
        }
        return new Result(to, version, size, files.sum(), bytes.sum());
    }

    /** The tally and the tree of the log's first {@code size} entries, replayed in memory. */
    private record Replayed(Tally tally, MerkleTree tree, InMemoryHashStore hashes) {}

    private Replayed replay(Election election, long size) {
        Tally tally = new Tally(election);
        Intake intake = new Intake(tally);
        List<byte[]> leaves = new ArrayList<>((int) Math.min(size, Integer.MAX_VALUE - 8));
        progress.begin("log entries replayed", size);
        long[] n = {0};
        store.readLog(0, size, e -> {
            leaves.add(MerkleHash.leaf(e.bytes()));
            intake.replay(e);
            if (++n[0] % 1024 == 0) progress.advance(1024);
        });
        progress.advance(n[0] % 1024);
        progress.end();
        tally.advanceTo(size);
        InMemoryHashStore hashes = new InMemoryHashStore();
        MerkleTree tree = new MerkleTree(hashes, 0);
        hashes.putAll(tree.hashesToAppend(leaves));
        tree = tree.withSize(size);
        // The stored tree is what the origin signs: an export that disagreed with it would be a fork.
        InMemoryHashStore stored = new InMemoryHashStore();
        store.readHashes(stored::put);
        if (stored.count(0) >= size && size > 0 && !Arrays.equals(new MerkleTree(stored, stored.count(0)).root(size), tree.root()))
            throw new ExportException("the log's entries do not hash to its stored tree: the database was changed"
                    + " outside Rekap; restore it from a backup or a mirror");
        return new Replayed(tally, tree, hashes);
    }

    private void writeSite(Setup setup, Election election, Snapshot snapshot, Replayed r) throws IOException {
        RegionTree tree = election.tree();
        pages();
        put("checkpoint", snapshot.checkpoint().identity(), false);
        put(API + "openapi.yaml", resource("/openapi.yaml"), true);
        java.io.StringWriter csv = new java.io.StringWriter(1 << 20);
        RegionCsv.write(tree, csv, true);
        put(API + "setup/regions.csv", csv.toString().getBytes(StandardCharsets.UTF_8), true);
        put(API + "setup/contests.json", ContestsJson.write(new ContestsJson.Setup(setup.name(), setup.rootName(),
                setup.contests())), true);
        put(API + "search-index.json", new SearchIndex(tree).staticIndex(), true);

        Map<String, Document> docs = snapshot.documents();
        progress.begin("documents written", docs.size());
        docs.entrySet().parallelStream().forEach(e -> {
            put(API + e.getKey(), e.getValue().identity(), e.getValue().gzip());
            progress.advance(1);
        });
        progress.end();

        List<Runnable> downloads = new ArrayList<>();
        for (int node = 0; node < tree.regionCount(); node++)
            for (Contest c : election.published()) {
                String code = tree.code(node), id = c.id();
                Iterator<byte[]> probe = Downloads.csv(snapshot, election, code, id);
                if (probe == null) continue;
                String base = API + "download/" + code + "/" + id;
                downloads.add(() -> {
                    stream(base + ".csv", Downloads.csv(snapshot, election, code, id));
                    stream(base + ".json", Downloads.json(snapshot, election, code, id));
                });
            }
        progress.begin("downloads written (CSV and JSON)", downloads.size());
        downloads.parallelStream().forEach(d -> {
            d.run();
            progress.advance(1);
        });
        progress.end();

        List<String> photos = java.util.Collections.synchronizedList(new ArrayList<>());
        progress.begin("TPS pages written", tree.tpsCount());
        IntStream.range(tree.regionCount(), tree.size()).parallel().forEach(t -> {
            for (Contest c : election.contestsAt(t)) {
                long seq = snapshot.currentSeq(tree, t, c.id());
                Document d = seq < 0 ? TpsDetail.none(election, t, c.id(), snapshot.logSize())
                        : TpsDetail.render(election, setup.name(), this::entry, seq);
                put(API + "tps/" + tree.code(t) + "/" + c.id() + ".json", d.identity(), d.gzip());
                if (seq >= 0) photos.addAll(photosOf(d));
            }
            progress.advance(1);
        });
        progress.end();

        tiles(r, snapshot.logSize());
        photos(photos);
    }

    /** The public pages from the jar (or the classes directory in development), without the officer app. */
    private void pages() throws IOException {
        java.net.URL index = SiteExport.class.getResource("/web/index.html");
        if (index == null) throw new IllegalStateException("the public pages are missing from the jar");
        try {
            java.net.URI uri = index.toURI();
            if (uri.getScheme().equals("jar")) {
                try (var fs = java.nio.file.FileSystems.newFileSystem(uri, Map.of())) {
                    copyPages(fs.getPath("/web"));
                }
            } else {
                copyPages(Path.of(uri).getParent());
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private void copyPages(Path web) throws IOException {
        try (var paths = Files.list(web)) {
            for (Path p : paths.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.equals(OFFICER_APP) || !Files.isRegularFile(p)) continue;
                put(name, Files.readAllBytes(p), true);
            }
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (var in = SiteExport.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is missing from the jar");
            return in.readAllBytes();
        }
    }

    private LogEntry entry(long seq) {
        List<LogEntry> one = new ArrayList<>(1);
        store.readLog(seq, seq + 1, one::add);
        if (one.isEmpty()) throw new IllegalStateException("no log entry " + seq);
        return one.getFirst();
    }

    private static List<String> photosOf(Document tpsDetail) {
        try {
            var node = org.rekap.codec.Json.MAPPER.readTree(tpsDetail.identity());
            List<String> out = new ArrayList<>();
            for (var p : node.path("photos")) out.add(p.path("sha256").asText());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every hash tile and entry bundle of the tree at {@code size}: full ones and the partial ones of this size. */
    private void tiles(Replayed r, long size) {
        List<Tile> hashTiles = TileLayout.hashTiles(size);
        List<Tile> bundles = TileLayout.entryBundles(size);
        progress.begin("tiles and entry bundles written", hashTiles.size() + bundles.size());
        hashTiles.parallelStream().forEach(t -> {
            put(t.path(), TileLayout.hashTile(r.hashes(), t), null); // hashes do not compress
            progress.advance(1);
        });
        bundles.parallelStream().forEach(t -> {
            List<byte[]> entries = new ArrayList<>(t.width());
            long first = TileLayout.firstLeaf(t);
            store.readLog(first, first + t.width(), e -> entries.add(e.bytes()));
            put(t.path(), EntryBundle.encode(entries), true);
            progress.advance(1);
        });
        progress.end();
    }

    /** Photos are content-addressed and never change: hard links when the file system allows, else copies. */
    private void photos(List<String> shas) throws IOException {
        List<String> unique = shas.stream().distinct().sorted().toList();
        progress.begin("photos copied", unique.size());
        PhotoStore store = new PhotoStore(photoDir);
        for (String sha : unique) {
            if (!PhotoStore.SHA256.matcher(sha).matches() || !store.has(sha)) {
                progress.warn("photo " + sha + " is named by a sheet but not in " + photoDir + "; the TPS page will show"
                        + " it missing");
                continue;
            }
            Path target = out.resolve("photos").resolve(sha);
            Files.createDirectories(target.getParent());
            try {
                Files.createLink(target, store.path(sha));
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(store.path(sha), target);
            }
            files.increment();
            bytes.add(Files.size(target));
            progress.advance(1);
        }
        progress.end();
    }

    private void put(String path, byte[] identity, boolean compress) {
        put(path, identity, compress ? gzip(identity) : null);
    }

    /** Writes a file and, when given, its gzip twin with the same modification time. */
    private void put(String path, byte[] identity, byte[] gzip) {
        try {
            Path file = out.resolve(path);
            Files.createDirectories(file.getParent());
            Files.write(file, identity);
            files.increment();
            bytes.add(identity.length);
            if (gzip != null) {
                Path gz = file.resolveSibling(file.getFileName() + ".gz");
                Files.write(gz, gzip);
                Files.setLastModifiedTime(gz, Files.getLastModifiedTime(file));
                files.increment();
                bytes.add(gzip.length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A download, chunk by chunk, into the file and its gzip twin at once: flat memory for national files. */
    private void stream(String path, Iterator<byte[]> chunks) {
        Path file = out.resolve(path);
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream plain = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                 OutputStream zipped = new GZIPOutputStream(Files.newOutputStream(gz), 1 << 16)) {
                while (chunks.hasNext()) {
                    byte[] c = chunks.next();
                    plain.write(c);
                    zipped.write(c);
                }
            }
            Files.setLastModifiedTime(gz, Files.getLastModifiedTime(file));
            files.add(2);
            bytes.add(Files.size(file) + Files.size(gz));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] body) {
        var buf = new java.io.ByteArrayOutputStream(body.length / 4 + 32);
        try (GZIPOutputStream gz = new GZIPOutputStream(buf, 8192)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException ignored) {
            // the partial directory's name says what it is; the next export does not depend on it being gone
        }
    }
}
