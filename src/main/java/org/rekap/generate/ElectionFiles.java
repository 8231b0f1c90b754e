package org.rekap.generate;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import org.rekap.codec.CanonicalJson;
import org.rekap.codec.ContestsJson;
import org.rekap.codec.RegionCsv;
import org.rekap.codec.SheetJson;
import org.rekap.contest.Contest;
import org.rekap.region.RegionTree;

/**
 * Writes a synthetic election as files: {@value #REGIONS} (the region CSV with the {@code tps_dpt} column),
 * {@value #CONTESTS} (the contests file) and, on request, {@value #SHEETS} (one canonical JSON sheet per line, per TPS
 * in tree order and per contest in ballot order). The same election always gives the same bytes. Each file is written
 * beside its final name and moved into place when complete, so a reader never sees half a file.
 */
public final class ElectionFiles {
    public static final String REGIONS = "regions.csv";
    public static final String CONTESTS = "contests.json";
    public static final String SHEETS = "sheets.jsonl";
    /** TPS per unit of parallel work: big enough to amortise a task, small enough to keep few in memory. */
    private static final int BLOCK = 1024;

    private ElectionFiles() {}

    /** What was written: the directory, the files, and the sheets (0 when none were asked for). */
    public record Written(Path dir, List<Path> files, long sheets, long anomalous) {}

    /**
     * Writes the files into {@code dir}, creating it if needed and replacing files of the same names. Without sheets,
     * a {@value #SHEETS} left there by an earlier run is deleted: it would not match the new regions and contests.
     *
     * @param progress told how many sheets were written as they go; may be null
     */
    public static Written write(SyntheticElection e, Path dir, boolean withSheets, LongConsumer progress) throws IOException {
        Files.createDirectories(dir);
        Path regions = dir.resolve(REGIONS), contests = dir.resolve(CONTESTS), sheets = dir.resolve(SHEETS);
        replace(regions, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            RegionCsv.write(e.tree(), w, true);
            w.flush();
        });
        replace(contests, out -> out.write(ContestsJson.write(e.setup())));
        if (!withSheets) {
            Files.deleteIfExists(sheets); // sheets of an earlier run would not match these regions and contests
            return new Written(dir, List.of(regions, contests), 0, 0);
        }
        long[] counts = new long[2];
        replace(sheets, out -> {
            long[] c = writeSheets(e, out, progress);
            counts[0] = c[0];
            counts[1] = c[1];
        });
        return new Written(dir, List.of(regions, contests, sheets), counts[0], counts[1]);
    }

    /**
     * Every sheet as one line of canonical JSON, TPS in tree order then contests in ballot order. Blocks of TPS are
     * drawn in parallel and written in order, so the bytes do not depend on the number of threads.
     *
     * @return the number of sheets and of anomalous sheets written
     */
    static long[] writeSheets(SyntheticElection e, OutputStream out, LongConsumer progress) throws IOException {
        RegionTree tree = e.tree();
        int first = tree.regionCount(), end = tree.size();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "rekap-generate");
            t.setDaemon(true);
            return t;
        });
        long sheets = 0, anomalous = 0;
        try {
            ArrayDeque<Future<Block>> window = new ArrayDeque<>();
            int next = first;
            while (next < end || !window.isEmpty()) {
                while (next < end && window.size() < threads * 3) {
                    int from = next, to = Math.min(end, next + BLOCK);
                    window.add(pool.submit(() -> block(e, from, to)));
                    next = to;
                }
                Block b = join(window.poll());
                b.bytes().writeTo(out);
                sheets += b.sheets();
                anomalous += b.anomalous();
                if (progress != null) progress.accept(b.sheets());
            }
            out.flush();
        } finally {
            pool.shutdownNow();
        }
        return new long[] {sheets, anomalous};
    }

    private record Block(ByteArrayOutputStream bytes, long sheets, long anomalous) {}

    private static Block block(SyntheticElection e, int from, int to) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512 * 1024);
        long sheets = 0, anomalous = 0;
        for (int t = from; t < to; t++) {
            for (Contest c : e.election().contestsAt(t)) {
                bytes.writeBytes(CanonicalJson.write(SheetJson.write(e.sheet(t, c))));
                bytes.write('\n');
                sheets++;
                if (e.isAnomalous(t, c)) anomalous++;
            }
        }
        return new Block(bytes, sheets, anomalous);
    }

    private static Block join(Future<Block> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing sheets", ex);
        } catch (ExecutionException ex) {
            Throwable cause = ex.getCause();
            if (cause instanceof UncheckedIOException u) throw u.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IOException(cause);
        }
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** Writes {@code target}'s new content beside it, then moves it into place. */
    private static void replace(Path target, Body body) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            body.write(out);
        } catch (IOException | RuntimeException ex) {
            Files.deleteIfExists(tmp);
            throw ex;
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException ex) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
