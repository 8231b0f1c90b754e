package org.rekap.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.rekap.cli.Main;
import org.rekap.codec.EntryCodec;
import org.rekap.codec.Json;
import org.rekap.codec.SheetJson;
import org.rekap.codec.SignedPayloads;
import org.rekap.contest.Contest;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.ledger.DeviceEnrolled;
import org.rekap.ledger.Role;
import org.rekap.region.RegionTree;
import org.rekap.reliability.RawHttp;
import org.rekap.reliability.ServerProcess;
import org.rekap.sheet.ConsistencyRules;
import org.rekap.sheet.TallySheet;
import org.rekap.simulate.SimOfficer;
import org.rekap.store.ElectionStore;
import org.rekap.store.Setup;
import org.rekap.store.Stores;

/**
 * Issue 8's national benchmark, as one program (bench/national.sh): the national election (all 123 contests set up),
 * 820,161 phones enrolled (written to the log directly, as if before polling day), every PPWP sheet signed before
 * the clock starts, then all of them submitted over the officer HTTP API by a concurrent client, one request per
 * sheet, each answered only when durable. Prints: ingest wall time and rate, freshness (acknowledgement to visible
 * in the public national document) p50/p99, exactness of the log and totals, heap in use after a full GC, and the
 * restart time with the whole log. The server runs in its own process ({@link ServerProcess}).
 *
 * <p>Arguments: [--db URL] [--sheets N] [--connections C] [--dir DIR] [--jfr FILE] [--ingest-only]. {@code --jfr}
 * records a JFR profile ({@code settings=profile}) of the server during the ingest; {@code --ingest-only} stops after
 * the exactness check (no memory or restart figures: the quick loop while working on the ingest); {@code --scale
 * province} uses the province election (20,000 TPS) instead, a loop that needs neither the lock nor much memory;
 * {@code --warmup N} sends the first N sheets before the clock starts (the JIT compiles the hot path then), so that
 * a short run measures the CPU per sheet of a warm server.
 */
public final class NationalBench {
    public static void main(String[] args) throws Exception {
        String db = null;
        int limit = Integer.MAX_VALUE, connections = 128;
        Path dir = null, jfr = null;
        Scale scale = Scale.NATIONAL;
        int warmup = 0;
        boolean ingestOnly = false;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--jfr" -> jfr = Path.of(args[i + 1]).toAbsolutePath();
                case "--ingest-only" -> {
                    ingestOnly = true;
                    i--;
                }
                case "--db" -> db = args[i + 1];
                case "--sheets" -> limit = Integer.parseInt(args[i + 1]);
                case "--connections" -> connections = Integer.parseInt(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--scale" -> scale = Scale.parse(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: bench/national.sh [--db URL] [--sheets N] [--connections C] [--dir DIR] [--jfr FILE] [--ingest-only] [--scale S] [--warmup N]");
            }
        }
        if (dir == null) dir = Files.createTempDirectory("rekap-national");
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        long t0 = System.nanoTime();
        SyntheticElection e = SyntheticElection.of(scale, 1);
        RegionTree tree = e.tree();
        Contest ppwp = e.election().contests().stream().filter(c -> c.id().equals("ppwp")).findFirst().orElseThrow();
        say(scale.id() + " election generated: %,d TPS, %d contests (%.1f s)", tree.tpsCount(), e.election().contests().size(), secs(t0));

        // Set-up and enrolments, written straight to the store.
        t0 = System.nanoTime();
        List<SimOfficer> officers = new ArrayList<>(tree.tpsCount());
        try (ElectionStore store = Stores.open(db, data)) {
            var s = e.setup();
            store.saveSetup(new Setup(s.name(), s.rootName(), e.regions(), s.contests()));
            List<byte[]> batch = new ArrayList<>();
            Instant before = Instant.parse("2024-02-13T00:00:00Z");
            for (int t = tree.regionCount(); t < tree.size() && officers.size() < limit; t++) {
                SimOfficer o = SimOfficer.of(tree.code(t), "bench", 8);
                officers.add(o);
                batch.add(EntryCodec.encode(new DeviceEnrolled(before, o.device(), o.publicKey(), Role.OFFICER, o.tps())));
                if (batch.size() == 20_000) {
                    store.append(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) store.append(batch);
        }
        int n = officers.size();
        if (Main.commandLine().execute("keygen", "--origin", "bench.rekap/national", "--out", data.resolve("log.key").toString()) != 0)
            throw new IllegalStateException("keygen failed");
        say("set-up stored and %,d phones enrolled (%.1f s)", n, secs(t0));

        // Every phone signs its sheet (in parallel, as 820,000 phones would); the clock has not started.
        t0 = System.nanoTime();
        byte[][] requests = new byte[n][];
        long[] expected = new long[ppwp.choices().size()];
        int[] counted = new int[1];
        List<SimOfficer> fo = officers;
        java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
            SimOfficer o = fo.get(i);
            TallySheet sheet = e.sheet(tree.index(o.tps()), ppwp);
            String id = "national-" + o.tps();
            var body = Json.MAPPER.createObjectNode().put("submissionId", id);
            body.set("sheet", SheetJson.write(sheet));
            body.put("device", o.device());
            body.put("signature", java.util.Base64.getEncoder().encodeToString(o.sign(SignedPayloads.sheet(id, sheet))));
            requests[i] = IngestClient.request(body.toString());
        });
        for (SimOfficer o : officers) {
            TallySheet sheet = e.sheet(tree.index(o.tps()), ppwp);
            if (!ConsistencyRules.check(sheet).isEmpty()) continue; // held for review, not counted
            counted[0]++;
            for (int c = 0; c < expected.length; c++) expected[c] += sheet.votes().get(c).total();
        }
        say("%,d sheets signed (%.1f s); %,d should count, %,d be held", n, secs(t0), counted[0], n - counted[0]);

        List<String> extra = db == null ? List.of() : List.of("--db", db);
        ServerProcess server = ServerProcess.start(data, dir.resolve("serve-1"), Duration.ofMillis(250),
                Duration.ofMinutes(10), bench(extra));
        say("server started with %,d log entries in %.1f s (pid %d)", n, server.startTime().toMillis() / 1e3, server.pid());

        // Freshness probe: the published log size of the national PPWP document, every 10 ms.
        List<long[]> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Boolean> probing = new AtomicReference<>(true);
        Thread probe = Thread.ofPlatform().daemon().start(() -> probe(server.publicBase(), seen, probing));

        List<byte[]> all = Arrays.asList(requests);
        int warm = Math.min(warmup, n), timed = n - warm;
        IngestClient.Outcome warmOut = IngestClient.send(server.officerBase(), all.subList(0, warm), connections, i -> {});
        if (warm > 0) say("%,d sheets sent to warm the server up, before the clock starts", warm);
        org.rekap.cli.Progress progress = new org.rekap.cli.Progress("sheets acknowledged", timed, System.out);
        if (jfr != null) jcmd(server.pid(), "JFR.start", "settings=profile", "filename=" + jfr);
        long serverCpu0 = CpuTime.ofProcess(server.pid()), clientCpu0 = CpuTime.ofThisProcess();
        var threads0 = CpuTime.byThread(server.pid());
        long serverSys0 = CpuTime.systemOfProcess(server.pid());
        long start = System.nanoTime();
        IngestClient.Outcome timedOut = IngestClient.send(server.officerBase(), all.subList(warm, n), connections, progress::add);
        long took = System.nanoTime() - start;
        long serverCpu = CpuTime.ofProcess(server.pid()) - serverCpu0, clientCpu = CpuTime.ofThisProcess() - clientCpu0;
        String serverThreads = CpuTime.difference(threads0, CpuTime.byThread(server.pid()));
        long serverSys = CpuTime.systemOfProcess(server.pid()) - serverSys0;
        if (jfr != null) jcmd(server.pid(), "JFR.stop", "filename=" + jfr);
        progress.finish();
        IngestClient.Outcome out = IngestClient.Outcome.concat(warmOut, timedOut);
        long lastSeq = Arrays.stream(out.seq()).max().orElse(-1);
        // Wait (bounded) until the last acknowledged sheet is published, then stop probing.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (published(seen) <= lastSeq && System.nanoTime() < deadline) Thread.sleep(10);
        probing.set(false);
        probe.join();

        int accepted = 0, failed = 0;
        java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (int st : out.status()) {
            statuses.merge(st, 1, Integer::sum);
            if (st == 201) accepted++; else failed++;
        }
        say("INGEST: %,d sheets in %.1f s = %,.0f sheets/s (goal <= 60 s); %,d acknowledged, %,d not", timed, took / 1e9,
                timed / (took / 1e9), accepted, failed);
        if (failed > 0) say("  answers by status: %s", statuses);
        say("CPU: server %.1f s = %.2f s per 100k sheets (%.0f us/sheet), client %.1f s = %.2f s per 100k sheets; "
                + "machine's 2 cores for %.1f s = %.1f core-s", serverCpu / 1e9, serverCpu / 1e9 * 100_000 / timed,
                serverCpu / 1e3 / timed, clientCpu / 1e9, clientCpu / 1e9 * 100_000 / timed, took / 1e9, 2 * took / 1e9);
        say("  server CPU: %.1f s user, %.1f s system; by thread: %s", (serverCpu - serverSys) / 1e9, serverSys / 1e9,
                serverThreads);
        freshness(out, seen);

        // Exactness: log size and national totals against the sheets themselves.
        HttpClient http = HttpClient.newHttpClient();
        var doc = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(server.publicBase().resolve("api/v1/regions/0/ppwp.json"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        long logSize = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(server.publicBase().resolve("api/v1/election.json"))
                .build(), HttpResponse.BodyHandlers.ofString()).body()).get("logSize").asLong();
        if (doc.get("totals") == null) throw new IllegalStateException("no totals in the national document: " + doc);
        long[] got = new long[expected.length];
        for (int c = 0; c < got.length; c++) got[c] = doc.get("totals").get("choices").get(c).asLong();
        boolean exact = Arrays.equals(got, expected) && logSize == 2L * n
                && doc.get("totals").get("progress").get("tpsCounted").asInt() == counted[0];
        say("EXACT: %s (log size %,d of %,d; national choices %s, expected %s; TPS counted %,d of %,d)",
                exact ? "yes" : "NO", logSize, 2L * n, Arrays.toString(got), Arrays.toString(expected),
                doc.get("totals").get("progress").get("tpsCounted").asInt(), counted[0]);

        if (ingestOnly) {
            server.stop();
            say("data in %s", dir);
            System.exit(exact && failed == 0 ? 0 : 1);
        }
        say("MEMORY: heap in use after a full GC: %,d MB (goal <= 2048 MB; all %d contests set up, PPWP counted)",
                server.heapUsedAfterGc() / (1 << 20), e.election().contests().size());

        server.stop();
        ServerProcess again = ServerProcess.start(data, dir.resolve("serve-2"), Duration.ofMillis(250),
                Duration.ofMinutes(10), bench(extra));
        say("RESTART: serving again %.1f s after start with %,d log entries (goal <= 10 s)",
                again.startTime().toMillis() / 1e3, logSize);
        again.stop();
        say("data in %s", dir);
        System.exit(exact && failed == 0 ? 0 : 1);
    }

    private static void jcmd(long pid, String... command) throws java.io.IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        c.addAll(List.of(command));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new java.io.IOException("jcmd " + String.join(" ", command) + " failed: " + out);
    }

    /** The probe and the client stand for millions of addresses: per-address limits are off for this run. */
    private static List<String> bench(List<String> extra) {
        List<String> args = new ArrayList<>(extra);
        args.addAll(List.of("--public-rate", "0", "--officer-rate", "0"));
        return args;
    }

    private static void probe(URI base, List<long[]> seen, AtomicReference<Boolean> probing) {
        byte[] head = "HEAD /api/v1/regions/0/ppwp.json HTTP/1.1\r\nHost: rekap\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (probing.get()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
                s.setSoTimeout(10_000);
                OutputStream o = s.getOutputStream();
                InputStream in = new java.io.BufferedInputStream(s.getInputStream());
                while (probing.get()) {
                    o.write(head);
                    o.flush();
                    RawHttp.Response r = RawHttp.read(in, true);
                    if (r == null) break;
                    long size = Long.parseLong(r.header("x-rekap-log-size"));
                    seen.add(new long[] {System.nanoTime(), size});
                    Thread.sleep(10); // the probe's pace
                }
            } catch (Exception e) {
                // reconnect
            }
        }
    }

    private static long published(List<long[]> seen) {
        synchronized (seen) {
            return seen.isEmpty() ? -1 : seen.get(seen.size() - 1)[1];
        }
    }

    /** For each acknowledged sheet, the first probe that saw a published size beyond its seq. */
    private static void freshness(IngestClient.Outcome out, List<long[]> seen) {
        long[][] probes = seen.toArray(new long[0][]);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < out.seq().length; i++) {
            long seq = out.seq()[i];
            if (seq < 0 || out.status()[i] != 201) continue;
            int lo = 0, hi = probes.length; // probes are in time order and sizes never shrink
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (probes[mid][1] > seq) hi = mid; else lo = mid + 1;
            }
            if (lo < probes.length) delays.add(Math.max(0, probes[lo][0] - out.ackNanos()[i]));
        }
        long[] d = delays.stream().mapToLong(Long::longValue).sorted().toArray();
        if (d.length == 0) {
            say("FRESHNESS: no acknowledged sheet was seen published");
            return;
        }
        say("FRESHNESS: acknowledgement to visible in /api/v1/regions/0/ppwp.json: p50 %.0f ms, p99 %.0f ms, max %.0f ms "
                + "(goal p99 <= 1000 ms; probe every 10 ms; %,d sheets)", d[d.length / 2] / 1e6,
                d[Math.min(d.length - 1, (int) (d.length * 0.99))] / 1e6, d[d.length - 1] / 1e6, d.length);
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void say(String format, Object... args) {
        System.out.printf(format + "%n", args);
    }
}
