package org.rekap.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.simulate.OfficerSimulator;
import org.rekap.store.Setup;
import org.rekap.store.ElectionStore;
import org.rekap.web.EventLog;
import org.rekap.guard.GuardLimits;
import org.rekap.web.RekapServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs a live election on this machine.",
            "Creates a synthetic province-scale election, serves it, and lets simulated officers",
            "submit every TPS's sheets over HTTP for a few minutes. Each run starts afresh."},
        footer = {"", "Examples:",
            "  rekap demo                              open http://localhost:8080/ and watch the count",
            "  rekap demo --port 9090 --minutes 10     slower, on another port",
            "  rekap demo --scale small --minutes 1    a tiny election, done in a minute",
            "  rekap demo --db postgresql://postgres@127.0.0.1:5432/test?currentSchema=demo"})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8080",
            description = "public HTTP port; the officer side listens on the next one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--data", defaultValue = "data/demo", description = "where the demo election lives (default: ${DEFAULT-VALUE})")
    Path data;

    @Mixin
    DatabaseOption database;

    @Option(names = "--scale", defaultValue = "province", description = "small, province or national (default: ${DEFAULT-VALUE})")
    String scale;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the synthetic election (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--minutes", defaultValue = "3", description = "how long the officers take to send every sheet (default: ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--exit-when-done", description = "stop once every sheet is in (for scripts and tests)")
    boolean exitWhenDone;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Scale s = Scale.parse(scale);
        System.err.printf("Generating a %s-scale election (seed %d)...%n", s.name().toLowerCase(), seed);
        SyntheticElection election = SyntheticElection.of(s, seed);
        Files.createDirectories(data);
        // Each run starts afresh: a SQLite file is deleted, but a database is never wiped by a demo.
        if (database.isSqlite())
            for (String f : List.of(DataDir.DB, DataDir.DB + "-wal", DataDir.DB + "-shm")) Files.deleteIfExists(data.resolve(f));
        ElectionStore store = database.open(data);
        if (store.logSize() > 0) {
            store.close();
            System.err.println("rekap demo: " + database.describe(data) + " already holds an election; the demo starts"
                    + " afresh, so give it an empty schema (e.g. ?currentSchema=demo2) or drop this one yourself");
            return 1;
        }
        Files.deleteIfExists(data.resolve(LogKeys.FILE));
        var setup = election.setup();
        store.saveSetup(new Setup(setup.name(), setup.rootName(), election.regions(), setup.contests()));
        // The console shows progress; the server's event log (one JSON line per event) goes to a file.
        Path events = data.resolve("events.log");
        java.io.PrintStream eventStream = new java.io.PrintStream(Files.newOutputStream(events), true, java.nio.charset.StandardCharsets.UTF_8);
        EventLog.to(eventStream);
        var signer = LogKeys.loadOrCreate(data.resolve(LogKeys.FILE), "rekap.demo/" + s.name().toLowerCase() + "-seed-" + seed);
        // The simulated phones all come from this machine's one address, so the officer side's per-client rate limit
        // (which stands for one phone or one carrier address) is off here; the public side keeps its limits.
        RekapServer server = RekapServer.start(store, RekapServer.Config.defaults(port, signer, data, AdminToken.loadOrCreate(data))
                .withLimits(GuardLimits.publicSide(), GuardLimits.officerSide().withRate(0)));
        String base = "http://localhost:" + server.port() + "/";
        String officerBase = "http://localhost:" + server.officerPort() + "/";
        String province = election.tree().code(election.tree().child(0, 0));
        // Every TPS gets a code, as the KPU would print them; each simulated phone enrols with its own.
        List<String> tpsCodes = new java.util.ArrayList<>(election.tree().tpsCount());
        for (int t = election.tree().regionCount(); t < election.tree().size(); t++) tpsCodes.add(election.tree().code(t));
        var officers = SyntheticJobs.officers(Codes.issue(store, org.rekap.ledger.Role.OFFICER, tpsCodes,
                java.time.Instant.now().plus(java.time.Duration.ofDays(3))), seed);
        List<OfficerSimulator.Job> jobs = SyntheticJobs.all(election, seed, officers);
        System.err.println();
        System.err.println("  Rekap demo: " + setup.name());
        System.err.printf("  %,d TPS, %d contests, %,d sheets to come in over %.1f minutes%n",
                election.tree().tpsCount(), setup.contests().size(), jobs.size(), minutes);
        System.err.println();
        System.err.println("  Results (open in a browser):  " + base);
        System.err.println("  A province:                   " + base + "#/wilayah/" + province + "/ppwp");
        System.err.println("  Public JSON:                  " + base + "api/v1/regions/" + province + "/ppwp.json");
        System.err.println("  Officer app:                  " + officerBase + "petugas/");
        System.err.println("  Officer API:                  POST " + officerBase + "api/officer/v1/sheets");
        System.err.println("  Metrics:                      " + officerBase + "metrics");
        System.err.println("  Data:                         " + database.describe(data));
        System.err.println("  Server event log:             " + events.toAbsolutePath());
        System.err.println("  Signed checkpoint:            " + base + "checkpoint");
        System.err.println("  Log verifier key:             " + signer.verifier().verifierKey());
        System.err.println();
        System.err.println("  Press Ctrl-C to stop.");
        System.err.println();

        double rate = jobs.size() / Math.max(1.0, minutes * 60);
        OfficerSimulator sim = new OfficerSimulator(URI.create(officerBase), 64, rate);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            sim.stop();
            server.close();
            store.close();
            eventStream.close();
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        Progress enrolling = new Progress("phones enrolled", officers.size());
        // Phones enrol as fast as the server takes them (before polling day, in reality); sheets come at the pace.
        OfficerSimulator.Result enrolled = new OfficerSimulator(URI.create(officerBase), 64, 0).enrol(officers.values(), enrolling::add);
        enrolling.finish();
        if (enrolled.accepted() != officers.size())
            System.err.printf("Warning: %,d of %,d phones could not enrol.%n", officers.size() - enrolled.accepted(), officers.size());
        Progress progress = new Progress("sheets submitted", jobs.size());
        OfficerSimulator.Result r = sim.run(jobs, progress::add);
        if (stopped.getCount() == 0 || sim.stopped()) {
            System.err.printf("%nStopped after %,d sheets; the election is in %s (serve it again with 'rekap serve --data %s').%n",
                    r.accepted(), database.describe(data), data + database.argument());
            return 0;
        }
        progress.finish();
        System.err.printf("Officers done: %,d accepted, %,d refused, %,d failed, in %s. Still serving; Ctrl-C stops.%n",
                r.accepted(), r.refused(), r.failed(), Progress.duration(r.took().toMillis() / 1000.0));
        if (exitWhenDone) {
            Runtime.getRuntime().removeShutdownHook(hook);
            hook.run();
            return r.failed() == 0 && r.refused() == 0 ? 0 : 1;
        }
        stopped.await();
        return 0;
    }
}
