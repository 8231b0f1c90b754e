package org.rekap.web;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.rekap.codec.EntryCodec;
import org.rekap.codec.SignedPayloads;
import org.rekap.contest.Contest;
import org.rekap.contest.ContestKind;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.ledger.DeviceEnrolled;
import org.rekap.ledger.InMemoryHashStore;
import org.rekap.ledger.MerkleHash;
import org.rekap.ledger.MerkleTree;
import org.rekap.ledger.NoteSigner;
import org.rekap.ledger.Role;
import org.rekap.ledger.SheetSubmitted;
import org.rekap.ledger.StoredHash;
import org.rekap.region.RegionTree;
import org.rekap.simulate.SimOfficer;
import org.rekap.store.ElectionStore;
import org.rekap.store.PostgresStore;
import org.rekap.store.PostgresUrl;
import org.rekap.store.Setup;
import org.rekap.store.SqliteStore;

/**
 * The restart benchmark (bench/restart.sh): builds, once, a national election with a polling-day log (an enrolment
 * per TPS, then sheets signed by each TPS's simulated phone, written straight into the store with their tree
 * hashes, as the log writer would), then starts the real server on it several times and prints how long each phase
 * of the start took and when {@code /api/v1/election.json} first answered. A built data set is reused.
 *
 * <p>Usage: {@code RestartBench [--db URL] [--dir DIR] [--scale national|province|small] [--contests ppwp|all]
 * [--runs N]}
 */
public final class RestartBench {
    public static void main(String[] args) throws Exception {
        String db = null, contests = "ppwp";
        Path dir = Path.of("/tmp/rekap-restart-bench");
        Scale scale = Scale.NATIONAL;
        int runs = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db" -> db = args[++i];
                case "--dir" -> dir = Path.of(args[++i]);
                case "--scale" -> scale = Scale.parse(args[++i]);
                case "--contests" -> contests = args[++i];
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --db URL --dir DIR --scale S --contests ppwp|all --runs N");
            }
        }
        Files.createDirectories(dir);
        PrintStream events = new PrintStream(Files.newOutputStream(dir.resolve("events.log")), true);
        EventLog.to(events);
        String where = db == null ? dir.resolve("rekap.db").toString() : db;
        System.out.println("store: " + where + ", scale " + scale.id() + ", sheets of " + contests);
        try (ElectionStore store = open(db, dir)) {
            if (store.loadSetup().isEmpty() || store.logSize() == 0) build(store, scale, contests);
            System.out.println("log: " + store.logSize() + " entries");
        }
        NoteSigner signer = NoteSigner.generate("rekap.bench/restart", new SecureRandom());
        HttpClient http = HttpClient.newHttpClient();
        for (int run = 1; run <= runs; run++) {
            long t0 = System.nanoTime(), cpu0 = processCpu();
            ElectionStore store = open(db, dir);
            long opened = System.nanoTime();
            RekapServer server = RekapServer.start(store, new RekapServer.Config("127.0.0.1", 0, Duration.ofSeconds(1),
                    signer, dir.resolve("photos"), "bench-admin-token"));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/v1/election.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime(), cpu = processCpu() - cpu0;
            if (r.statusCode() != 200) throw new IllegalStateException("election.json answered " + r.statusCode());
            StringBuilder line = new StringBuilder("run " + run + ": open " + ms(opened - t0));
            for (StartPhases.Phase p : server.startPhases()) line.append(", ").append(p.name()).append(' ')
                    .append(String.format("%.1f", p.millis() / 1000.0));
            // CPU seconds as well: on a shared machine wall time depends on what else runs, CPU time much less.
            line.append(" | serving after ").append(ms(answered - t0)).append(" s (").append(ms(cpu)).append(" s of CPU)");
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            line.append(", heap in use after GC ").append(heap / (1 << 20)).append(" MiB");
            System.out.println(line);
            server.close();
            store.close();
        }
        events.close();
    }

    private static ElectionStore open(String db, Path dir) {
        return db == null ? SqliteStore.open(dir.resolve("rekap.db")) : PostgresStore.open(PostgresUrl.parse(db, null));
    }

    private static long processCpu() {
        return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
    }

    private static String ms(long nanos) {
        return String.format("%.1f", nanos / 1e9);
    }

    /** The set-up, then one enrolment per TPS, then every TPS's sheets, in chunks appended with their tree hashes. */
    private static void build(ElectionStore store, Scale scale, String contests) {
        long t0 = System.nanoTime();
        SyntheticElection e = SyntheticElection.of(scale, 1);
        var s = e.setup();
        if (store.loadSetup().isEmpty()) store.saveSetup(new Setup(s.name(), s.rootName(), e.regions(), s.contests()));
        System.out.println("set-up saved in " + ms(System.nanoTime() - t0) + " s");
        RegionTree tree = e.tree();
        List<Contest> sheetsOf = e.election().contests().stream()
                .filter(c -> contests.equals("all") || c.kind() == ContestKind.PPWP).toList();
        InMemoryHashStore hashes = new InMemoryHashStore();
        MerkleTree merkle = new MerkleTree(hashes, 0);
        Instant at = Instant.parse("2024-02-14T06:00:00Z");
        int first = tree.regionCount(), n = tree.tpsCount(), chunk = 5_000;
        for (int pass = 0; pass < 2; pass++) {
            for (int from = 0; from < n; from += chunk) {
                int to = Math.min(n, from + chunk);
                final boolean sheets = pass == 1;
                List<List<byte[]>> parts = IntStream.range(from, to).parallel().mapToObj(k -> {
                    int tps = first + k;
                    SimOfficer o = SimOfficer.of(tree.code(tps), "", 1);
                    List<byte[]> out = new ArrayList<>(2);
                    if (!sheets) {
                        out.add(EntryCodec.encode(new DeviceEnrolled(at, o.device(), o.publicKey(), Role.OFFICER, o.tps())));
                        return out;
                    }
                    for (Contest c : sheetsOf) {
                        if (!e.election().covers(c, tps)) continue;
                        var sheet = e.sheet(tps, c);
                        String id = "bench-" + tps + "-" + c.id();
                        out.add(EntryCodec.encode(new SheetSubmitted(id, at.plusSeconds(36_000), sheet, o.device(),
                                o.sign(SignedPayloads.sheet(id, sheet)))));
                    }
                    return out;
                }).toList();
                List<byte[]> entries = new ArrayList<>();
                parts.forEach(entries::addAll);
                List<byte[]> leaves = new ArrayList<>(entries.size());
                for (byte[] b : entries) leaves.add(MerkleHash.leaf(b));
                List<StoredHash> added = merkle.hashesToAppend(leaves);
                store.append(entries, added);
                hashes.putAll(added);
                merkle = merkle.withSize(merkle.size() + entries.size());
                if ((from / chunk) % 20 == 0)
                    System.out.printf("  %s %d/%d TPS, log %d, %.0f s%n", sheets ? "sheets" : "enrolments", to, n,
                            merkle.size(), (System.nanoTime() - t0) / 1e9);
            }
        }
        System.out.println("log built: " + merkle.size() + " entries in " + ms(System.nanoTime() - t0) + " s");
    }
}
