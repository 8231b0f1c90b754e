package org.rekap.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.rekap.store.ElectionStore;
import org.rekap.web.RekapServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serves an election from its data directory: officer API, public API and pages.",
        footer = {"", "Examples:",
            "  rekap serve                            serve ./data on port 8080",
            "  rekap serve --data /srv/pemilu --port 9000 --host 127.0.0.1"})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "data", description = "data directory holding rekap.db (default: ${DEFAULT-VALUE})")
    Path data;

    @Mixin
    DatabaseOption database;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--publish-interval", defaultValue = "1000",
            description = "milliseconds between snapshots of the public documents (default: ${DEFAULT-VALUE})")
    long publishMillis;

    @Option(names = "--key", description = "the log's signing key (default: <data>/log.key)")
    Path key;

    @Override
    public Integer call() throws Exception {
        if (database.isSqlite() && !Files.exists(data.resolve(DataDir.DB))) {
            System.err.println("rekap serve: no election in " + data.toAbsolutePath()
                    + "; create one with 'rekap import --data " + data + " ...' or try 'rekap demo'");
            return 1;
        }
        var signer = LogKeys.load(key != null ? key : data.resolve(LogKeys.FILE));
        ElectionStore store = database.open(data);
        if (!database.isSqlite() && store.logSize() == 0 && store.loadSetup().isEmpty()) {
            store.close();
            System.err.println("rekap serve: no election in " + database.describe(data) + "; create one with 'rekap import"
                    + " --data " + data + database.argument() + " ...'");
            return 1;
        }
        RekapServer server = RekapServer.start(store, new RekapServer.Config(host, port,
                java.time.Duration.ofMillis(Math.max(50, publishMillis)), signer, data.resolve("photos"), AdminToken.loadOrCreate(data)));
        System.err.println("Rekap is serving " + data.toAbsolutePath() + " on http://localhost:" + server.port() + "/  (Ctrl-C stops)");
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
