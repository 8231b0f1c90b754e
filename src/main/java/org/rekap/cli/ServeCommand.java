package org.rekap.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.rekap.guard.GuardLimits;
import org.rekap.store.ElectionStore;
import org.rekap.web.RekapServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves an election from its data directory on two sides with separate ports, threads and limits:",
            "the public side (results pages, public API, log) and the officer side (officer app and API, reviewers,",
            "administrator API, Prometheus metrics at /metrics)."},
        footer = {"", "Examples:",
            "  rekap serve                            public on port 8080, officers on 8081",
            "  rekap serve --data /srv/pemilu --port 80 --officer-port 8443 --officer-host 10.0.0.5",
            "  rekap serve --client-ip-header CF-Connecting-IP --public-rate 20    behind a CDN"})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "data", description = "data directory holding rekap.db (default: ${DEFAULT-VALUE})")
    Path data;

    @Mixin
    DatabaseOption database;

    @Option(names = "--port", defaultValue = "8080", description = "public side's port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "public side's address (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--officer-port", description = "officer and administrator side's port (default: --port + 1)")
    Integer officerPort;

    @Option(names = "--officer-host", description = "officer side's address (default: the same as --host)")
    String officerHost;

    @Option(names = "--public-rate", description = "requests per second per reader address, 0 for no limit (default: "
            + "50, burst 200: carriers put many phones behind one address)")
    Integer publicRate;

    @Option(names = "--officer-rate", description = "requests per second per officer address, 0 for no limit (default: 20)")
    Integer officerRate;

    @Option(names = "--client-ip-header", description = "header naming the real client, set by a trusted proxy or CDN "
            + "in front (e.g. CF-Connecting-IP, X-Real-IP); only use it when every request passes that proxy")
    String clientHeader;

    @Option(names = "--publish-interval", defaultValue = "1000",
            description = "milliseconds between snapshots of the public documents (default: ${DEFAULT-VALUE})")
    long publishMillis;

    @Option(names = "--key", description = "the log's signing key (default: <data>/log.key)")
    Path key;

    @Override
    public Integer call() throws Exception {
        var signer = LogKeys.load(key != null ? key : data.resolve(LogKeys.FILE));
        ElectionStore store = database.openElection(data, "serve");
        if (store == null) return 1;
        GuardLimits publicLimits = GuardLimits.publicSide(), officerLimits = GuardLimits.officerSide();
        if (publicRate != null) publicLimits = publicLimits.withRate(publicRate);
        if (officerRate != null) officerLimits = officerLimits.withRate(officerRate);
        RekapServer server = RekapServer.start(store, new RekapServer.Config(host, port,
                officerHost != null ? officerHost : host, officerPort != null ? officerPort : port == 0 ? 0 : port + 1,
                java.time.Duration.ofMillis(Math.max(50, publishMillis)), signer, data.resolve("photos"),
                AdminToken.loadOrCreate(data), publicLimits, officerLimits, clientHeader));
        System.err.println("Rekap is serving " + data.toAbsolutePath() + ": public http://localhost:" + server.port()
                + "/, officers http://localhost:" + server.officerPort() + "/petugas/  (Ctrl-C stops)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            store.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
