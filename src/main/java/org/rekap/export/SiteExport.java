package org.rekap.export;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.rekap.codec.ContestsJson;
import org.rekap.codec.RegionCsv;
import org.rekap.contest.Contest;
import org.rekap.contest.Election;
import org.rekap.ledger.LogEntry;
import org.rekap.ledger.NoteSigner;
import org.rekap.publish.Document;
import org.rekap.publish.Downloads;
import org.rekap.publish.LogSigning;
import org.rekap.publish.Publisher;
import org.rekap.publish.SearchIndex;
import org.rekap.publish.Snapshot;
import org.rekap.region.RegionTree;
import org.rekap.store.ElectionStore;
import org.rekap.store.PhotoStore;
import org.rekap.store.Setup;
import org.rekap.verify.ProgressListener;

/**
 * Writes the public site as static files (docs/export.md): the public pages, every document of one snapshot, the
 * CSV downloads of the upper levels, the TPS pages the browser cannot build itself, the signed checkpoint with its tiles
 * and entry bundles, the set-up, a search index, and the photos the published sheets name.
 *
 * <p>Consistency: the state at one log size is rebuilt in memory (from the server's saved state and the log after it,
 * or the whole log; the store is never written), and every file is derived from it, so the export is one snapshot. It
 * is written into a fresh directory next to the target, made durable, and published by atomically replacing the target
 * symlink: a reader sees the previous export or this one, never a mix.
 */
public final class SiteExport {
    /**
     * What an export wrote. {@code fromSavedState} is the log size of the server's saved state it started from (the
     * entries after it were replayed), or -1 when it replayed the whole log.
     */
    public record Result(Path target, Path directory, long logSize, long files, long bytes, long fromSavedState) {}

    /**
     * Regions this deep or shallower (the root is 0: nation, provinsi, kabupaten/kota) get download files, and their
     * documents a gzip twin: what many readers fetch. Deeper ones link to their kabupaten's download; nginx compresses
     * their documents when asked (docs/export.md).
     */
    static final int UPPER_DEPTH = 2;
    private static final String API = "api/v1/";
    /** Writers of small files: a create and a write are mostly kernel time, a few more threads than cores hide waits. */
    private static final int WRITERS = Math.max(2, Runtime.getRuntime().availableProcessors() + 2);

    private final ElectionStore store;
    private final NoteSigner signer;
    private final Path photoDir;
    private final ProgressListener progress;

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
     * @throws ExportException when the target cannot be used or the log does not match its tree (saying what to do)
     */
    public Result export(Path target) throws ExportException {
        Publication publication = new Publication(target);
        Setup setup = store.loadSetup().orElseThrow(() -> new ExportException("the data directory has no election;"
                + " run 'rekap import' or 'rekap demo' first"));
        Path parent = publication.target().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new ExportException("cannot create " + parent + ": " + e.getMessage());
        }
        long size = store.logSize();
        ExportState state = ExportState.load(store, setup, size, progress);
        Publisher publisher = new Publisher(state.tally(), setup.name(), new LogSigning(signer, state::tree));
        progress.begin("documents rendered", 0);
        publisher.refresh();
        progress.end();
        Snapshot snapshot = publisher.snapshot();

        ExecutorService logThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "export-log"));
        ForkJoinPool writers = new ForkJoinPool(WRITERS);
        try {
            ExportFiles out = new ExportFiles(publication.begin());
            TpsPages tps = new TpsPages(setup.election(), setup.name(), state.tally());
            LogFiles log = new LogFiles(store, state, size, out);
            // The log's files need one sequential read of the log: on their own thread, beside everything else.
            Future<?> logPass = logThread.submit(() -> {
                log.write(tps::visit, writers);
                return null;
            });
            writeSetup(out, setup);
            out.put(API + "export.json", manifest(size));
            writeDocuments(out, snapshot, setup.election().tree(), writers);
            writeDownloads(out, snapshot, setup.election(), writers);
            awaitLog(log, logPass);
            progress.begin("TPS pages written (held or reviewed sheets; the browser builds the others)", tps.count());
            writers.submit(() -> tps.write(out, this::entry, () -> progress.advance(1))).get();
            progress.end();
            photos(out, tps.photos());
            progress.begin("export made durable (sync) and switched in", 0);
            Publication.Switched switched = publication.publish(size);
            progress.end();
            if (switched.previous() != null) {
                progress.begin("previous export removed", 0);
                Publication.delete(switched.previous());
                progress.end();
            }
            return new Result(publication.target(), switched.directory(), size, out.files(), out.bytes(), state.fromSaved());
        } catch (IOException | UncheckedIOException e) {
            publication.abandon();
            throw writeFailed(parent, e);
        } catch (InterruptedException e) {
            publication.abandon();
            Thread.currentThread().interrupt();
            throw new ExportException("interrupted; the previous export (if any) is still in place");
        } catch (ExecutionException e) {
            publication.abandon();
            Throwable cause = e;
            while (cause instanceof ExecutionException && cause.getCause() != null) cause = cause.getCause();
            if (cause instanceof IOException || cause instanceof UncheckedIOException) throw writeFailed(parent, cause);
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        } catch (RuntimeException | Error e) {
            publication.abandon();
            throw e;
        } finally {
            logThread.shutdownNow();
            writers.shutdownNow();
        }
    }

    private static ExportException writeFailed(Path parent, Throwable cause) {
        return new ExportException("writing the export under " + parent + " failed: " + cause.getMessage()
                + "; check free space and permissions, then run again");
    }

    /** The pages, the checkpoint, the set-up and the search index: a few files, the ones every reader loads. */
    private void writeSetup(ExportFiles out, Setup setup) throws IOException {
        RegionTree tree = setup.election().tree();
        StaticPages.copy(out);
        out.putCompressed(API + "openapi.yaml", resource("/openapi.yaml"), java.util.zip.Deflater.DEFAULT_COMPRESSION);
        StringWriter csv = new StringWriter(1 << 20);
        RegionCsv.write(tree, csv, true);
        out.putCompressed(API + "setup/regions.csv", csv.toString().getBytes(StandardCharsets.UTF_8),
                java.util.zip.Deflater.DEFAULT_COMPRESSION);
        out.putCompressed(API + "setup/contests.json", ContestsJson.write(new ContestsJson.Setup(setup.name(),
                setup.rootName(), setup.contests())), java.util.zip.Deflater.DEFAULT_COMPRESSION);
        out.putCompressed(API + "search-index.json", new SearchIndex(tree).staticIndex(),
                java.util.zip.Deflater.DEFAULT_COMPRESSION);
    }

    /**
     * {@code api/v1/export.json}: what this static copy holds and what it leaves to the live API, for tools that read
     * it (a verifier should not expect the files it says are absent).
     */
    static byte[] manifest(long logSize) {
        var o = org.rekap.codec.Json.MAPPER.createObjectNode();
        o.put("logSize", logSize);
        o.put("downloadDepth", UPPER_DEPTH);
        o.putArray("downloadFormats").add("csv");
        o.put("tpsPages", "held-or-reviewed");
        return (o.toString() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Every document of the snapshot, byte for byte what the server answers; upper ones with their gzip twin. */
    private void writeDocuments(ExportFiles out, Snapshot snapshot, RegionTree tree, ForkJoinPool writers)
            throws InterruptedException, ExecutionException {
        Map<String, Document> docs = snapshot.documents();
        progress.begin("documents written", docs.size() + 1);
        out.put("checkpoint", snapshot.checkpoint().identity());
        progress.advance(1);
        writers.submit(() -> docs.entrySet().parallelStream().forEach(e -> {
            Document d = e.getValue();
            out.put(API + e.getKey(), d.identity(), upper(tree, e.getKey()) ? d.gzip() : null);
            progress.advance(1);
        })).get();
        progress.end();
    }

    /** Whether a document path ({@code election.json}, {@code regions/<code>[/<contest>].json}) is of an upper region. */
    private static boolean upper(RegionTree tree, String path) {
        if (!path.startsWith("regions/")) return true;
        int end = path.indexOf('/', "regions/".length());
        String code = path.substring("regions/".length(), end < 0 ? path.length() - ".json".length() : end);
        int node = tree.index(code);
        return node >= 0 && tree.depth(node) <= UPPER_DEPTH;
    }

    /**
     * CSV downloads of the upper regions, each with its gzip twin. Not the JSON downloads: the same rows as JSON are
     * three times the bytes (a DPR row without a sheet is 160 nulls), about 1 GB per level for the nation, which no
     * export could write in a minute; the live API serves them.
     */
    private void writeDownloads(ExportFiles out, Snapshot snapshot, Election election, ForkJoinPool writers)
            throws InterruptedException, ExecutionException {
        RegionTree tree = election.tree();
        List<Runnable> downloads = new ArrayList<>();
        for (int node = 0; node < tree.regionCount(); node++) {
            if (tree.depth(node) > UPPER_DEPTH) continue;
            for (Contest c : election.published()) {
                String code = tree.code(node), id = c.id();
                if (snapshot.document(Snapshot.regionPath(code, id)) == null) continue;
                String base = API + "download/" + code + "/" + id;
                downloads.add(() -> out.stream(base + ".csv", Downloads.csv(snapshot, election, code, id)));
            }
        }
        progress.begin("CSV downloads of the upper " + (UPPER_DEPTH + 1) + " levels written", downloads.size());
        writers.submit(() -> downloads.parallelStream().forEach(d -> {
            d.run();
            progress.advance(1);
        })).get();
        progress.end();
    }

    /** Waits for the log's files, showing their progress. */
    private void awaitLog(LogFiles log, Future<?> pass) throws InterruptedException, ExecutionException {
        progress.begin("log entries checked and bundled, hash tiles written (beside the documents)", log.total(),
                log.startedNanos);
        long shown = 0;
        while (true) {
            try {
                pass.get(200, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                long now = log.done.get();
                progress.advance(now - shown);
                shown = now;
            }
        }
        progress.advance(log.done.get() - shown);
        progress.end();
    }

    private LogEntry entry(long seq) {
        List<LogEntry> one = new ArrayList<>(1);
        store.readLog(seq, seq + 1, one::add);
        if (one.isEmpty()) throw new IllegalStateException("no log entry " + seq);
        return one.getFirst();
    }

    /** Photos are content-addressed and never change: hard links when the file system allows, else copies. */
    private void photos(ExportFiles out, java.util.Set<String> shas) throws IOException {
        List<String> unique = shas.stream().sorted().toList();
        progress.begin("photos copied", unique.size());
        PhotoStore photos = new PhotoStore(photoDir);
        for (String sha : unique) {
            if (!PhotoStore.SHA256.matcher(sha).matches() || !photos.has(sha)) {
                progress.warn("photo " + sha + " is named by a sheet but not in " + photoDir + "; the TPS page will show"
                        + " it missing");
                continue;
            }
            out.link("photos/" + sha, photos.path(sha));
            progress.advance(1);
        }
        progress.end();
    }

    static byte[] resource(String name) throws IOException {
        try (var in = SiteExport.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is missing from the jar");
            return in.readAllBytes();
        }
    }
}
