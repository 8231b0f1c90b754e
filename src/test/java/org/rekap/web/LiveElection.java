package org.rekap.web;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import org.rekap.codec.Json;
import org.rekap.codec.SheetJson;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.ledger.NoteSigner;
import org.rekap.sheet.TallySheet;
import org.rekap.store.Setup;
import org.rekap.store.SqliteStore;

/** A small synthetic election served for real: a SQLite file in a temp dir and a server on a loopback port. */
final class LiveElection implements AutoCloseable {
    final SyntheticElection election;
    final SqliteStore store;
    private final Duration publishInterval;
    RekapServer server;

    LiveElection(Path dir, long seed, Duration publishInterval) {
        EventLog.to(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        this.election = SyntheticElection.of(Scale.SMALL, seed);
        this.publishInterval = publishInterval;
        store = SqliteStore.open(dir.resolve("rekap.db"));
        var s = election.setup();
        store.saveSetup(new Setup(s.name(), s.rootName(), election.regions(), s.contests()));
        server = start();
    }

    /** The log's signing key, the same across restarts as a real deployment's. */
    final NoteSigner signer = NoteSigner.generate("rekap.test/live", new SecureRandom());

    private RekapServer start() {
        return RekapServer.start(store, new RekapServer.Config("127.0.0.1", 0, publishInterval, signer));
    }

    /** Stops the server and starts a new one on the same store: derived state must come back from the log. */
    void restart() {
        server.close();
        server = start();
    }

    /** Starts a server on the store after the previous one was closed by the test. */
    void restartServer() {
        server = start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static String submission(String id, TallySheet sheet) {
        var o = Json.MAPPER.createObjectNode();
        o.put("submissionId", id);
        o.set("sheet", SheetJson.write(sheet));
        return o.toString();
    }

    @Override
    public void close() {
        if (server != null) server.close();
        store.close();
        EventLog.to(System.out);
    }
}
