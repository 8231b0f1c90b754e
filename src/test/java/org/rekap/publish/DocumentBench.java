package org.rekap.publish;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rekap.contest.Contest;
import org.rekap.contest.ContestKind;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.ledger.InMemoryHashStore;
import org.rekap.ledger.MerkleHash;
import org.rekap.ledger.MerkleTree;
import org.rekap.ledger.NoteSigner;
import org.rekap.region.RegionTree;
import org.rekap.tally.Tally;

/**
 * What the publisher costs (bench/documents.sh): a synthetic election's tally with every TPS's sheets applied in
 * memory (no store, no HTTP), then the publisher's set-up, its first snapshot, the size of the frozen views, the heap
 * after a GC, and per deep document (village and kecamatan, sampled at random) the CPU time of its tag, its rendering
 * and each compression: the work a cache miss puts on an event loop.
 *
 * <p>Usage: {@code DocumentBench [--scale national|province|small] [--contests ppwp|all] [--samples N]}
 */
public final class DocumentBench {
    public static void main(String[] args) {
        Scale scale = Scale.PROVINCE;
        boolean all = false;
        int samples = 2000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scale" -> scale = Scale.parse(args[++i]);
                case "--contests" -> all = args[++i].equals("all");
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime();
        SyntheticElection synthetic = SyntheticElection.of(scale, 1);
        RegionTree tree = synthetic.tree();
        Tally tally = new Tally(synthetic.election());
        long seq = 0;
        for (int t = tree.regionCount(); t < tree.size(); t++)
            for (Contest c : synthetic.election().contestsAt(t))
                if (all || c.kind() == ContestKind.PPWP) tally.set(seq++, synthetic.sheet(t, c), !synthetic.isAnomalous(t, c));
        tally.advanceTo(seq);
        System.out.printf("%s, %s sheets: %,d applied in %.1f s%n", scale, all ? "all" : "PPWP", seq, (System.nanoTime() - t0) / 1e9);
        long heapTally = heapAfterGc();

        // A tree of as many (dummy) leaves as sheets, for the checkpoint each snapshot signs.
        InMemoryHashStore hashes = new InMemoryHashStore();
        List<byte[]> leaves = new ArrayList<>();
        for (long i = 0; i < seq; i++) leaves.add(MerkleHash.leaf(Long.toString(i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        hashes.putAll(new MerkleTree(hashes, 0).hashesToAppend(leaves));
        leaves = null;
        MerkleTree merkle = new MerkleTree(hashes, seq);
        LogSigning signing = new LogSigning(NoteSigner.generate("rekap.bench/documents", new SecureRandom()), () -> merkle);
        long w = System.nanoTime(), cpu = processCpu();
        Publisher p = new Publisher(tally, "Bench", signing);
        long w1 = System.nanoTime(), cpu1 = processCpu();
        p.refresh();
        long w2 = System.nanoTime(), cpu2 = processCpu();
        Snapshot s = p.snapshot();
        long viewBytes = 0, views = 0;
        for (int id = 0; id < s.views().length(); id++) {
            byte[] v = s.views().get(id);
            if (v != null) {
                views++;
                viewBytes += v.length;
            }
        }
        System.out.printf("publisher set-up %.2f s wall (%.2f s CPU); first snapshot %.2f s wall (%.2f s CPU)%n",
                (w1 - w) / 1e9, (cpu1 - cpu) / 1e9, (w2 - w1) / 1e9, (cpu2 - cpu1) / 1e9);
        long identity = 0, compressed = 0;
        for (Document d : s.kept().values()) {
            identity += d.identity().length;
            compressed += d.gzip().length + (d.brotliOrNull() == null ? 0 : d.brotliOrNull().length);
        }
        System.out.printf("frozen views: %,d, %,d bytes (%.1f MiB, %.0f bytes each); kept documents %,d: %.1f MiB identity,"
                        + " %.1f MiB gzip and brotli%n", views, viewBytes, viewBytes / 1048576.0, (double) viewBytes / views,
                s.kept().size(), identity / 1048576.0, compressed / 1048576.0);
        // Restarts: the tally restored from its saved form (every region marked changed, as at a start from saved
        // state), a new publisher and its first snapshot, the JIT warm from the rounds before.
        byte[] saved = saved(tally);
        for (int round = 0; round < Integer.getInteger("rounds", 2); round++) {
            Tally restored = restored(synthetic, saved);
            long a = System.nanoTime(), ca = processCpu();
            Publisher again = new Publisher(restored, "Bench", signing);
            long b = System.nanoTime(), cb = processCpu();
            again.refresh();
            System.out.printf("again (warm JIT): publisher set-up %.2f s wall (%.2f s CPU); first snapshot %.2f s wall (%.2f s CPU)%n",
                    (b - a) / 1e9, (cb - ca) / 1e9, (System.nanoTime() - b) / 1e9, (processCpu() - cb) / 1e9);
        }
        // The copy alone, on this one thread (its CPU time, which other processes do not inflate), the JIT warm.
        for (int round = 0; round < 5; round++) {
            long a = threads.getCurrentThreadCpuTime();
            for (int id = 0; id < s.views().length(); id++)
                FrozenView.freeze(tally, tree, s.lazy().index().contest(id), s.lazy().index().node(id));
            if (round == 4)
                System.out.printf("freezing every view on one thread: %.3f s CPU%n", (threads.getCurrentThreadCpuTime() - a) / 1e9);
        }
        long heap = heapAfterGc();
        System.out.printf("heap in use after GC: %,d MiB with the tally, %,d MiB with the publisher too (+%,d MiB)%n",
                heapTally >> 20, heap >> 20, (heap - heapTally) >> 20);

        // Per deep document: sampled village and kecamatan documents, each measured on this one thread.
        SplittableRandom rnd = new SplittableRandom(7);
        for (String level : List.of("kelurahan_desa", "kecamatan")) {
            List<String> paths = new ArrayList<>();
            for (int node = 0; node < tree.regionCount(); node++)
                if (tree.level(node).equals(level))
                    for (Contest c : synthetic.election().published())
                        if (all || c.kind() == ContestKind.PPWP)
                            if (tally.has(c.id(), node)) paths.add(Snapshot.regionPath(tree.code(node), c.id()));
            for (int round = 0; round < 2; round++) { // the first round warms the JIT up
                long tag = 0, render = 0, gzip = 0, br = 0, bytes = 0, gzBytes = 0;
                for (int k = 0; k < samples; k++) {
                    String path = paths.get(rnd.nextInt(paths.size()));
                    long a = threads.getCurrentThreadCpuTime();
                    Document d = s.document(path);
                    d.etag();
                    long b = threads.getCurrentThreadCpuTime();
                    byte[] id = s.lazy().renderRegion(s.lazy().index().id(tree.index(path.split("/")[1]),
                            path.substring(path.lastIndexOf('/') + 1, path.length() - 5)), viewOf(s, path));
                    long c = threads.getCurrentThreadCpuTime();
                    byte[] gz = Encodings.gzip(id);
                    long e = threads.getCurrentThreadCpuTime();
                    Encodings.brotli(id);
                    long f = threads.getCurrentThreadCpuTime();
                    tag += b - a;
                    render += c - b;
                    gzip += e - c;
                    br += f - e;
                    bytes += id.length;
                    gzBytes += gz.length;
                }
                if (round == 1)
                    System.out.printf("%s documents (%,d of them): %,d bytes (%,d gzipped) on average; CPU per document: "
                                    + "tag %.1f us, render %.1f us, gzip %.1f us, brotli %.1f us%n", level, paths.size(),
                            bytes / samples, gzBytes / samples, tag / 1e3 / samples, render / 1e3 / samples,
                            gzip / 1e3 / samples, br / 1e3 / samples);
            }
        }
    }

    private static byte[] saved(Tally tally) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.DataOutputStream(bytes)) {
            tally.writeState(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Tally restored(SyntheticElection synthetic, byte[] saved) {
        Tally t = new Tally(synthetic.election());
        try {
            t.readState(new java.io.DataInputStream(new java.io.ByteArrayInputStream(saved)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return t;
    }

    private static byte[] viewOf(Snapshot s, String path) {
        String[] parts = path.split("/");
        return s.view(s.lazy().index().tree().index(parts[1]), parts[2].substring(0, parts[2].length() - 5));
    }

    private static long processCpu() {
        return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
