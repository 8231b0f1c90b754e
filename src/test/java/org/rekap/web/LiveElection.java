package org.rekap.web;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import org.rekap.codec.Json;
import org.rekap.codec.SheetJson;
import org.rekap.codec.SignedPayloads;
import org.rekap.simulate.SimOfficer;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.ledger.NoteSigner;
import org.rekap.sheet.TallySheet;
import org.rekap.store.ElectionStore;
import org.rekap.store.Setup;
import org.rekap.store.SqliteStore;

/** A small synthetic election served for real: a SQLite file in a temp dir and a server on a loopback port. */
final class LiveElection implements AutoCloseable {
    final SyntheticElection election;
    final ElectionStore store;
    private final Duration publishInterval;
    RekapServer server;

    static final String ADMIN_TOKEN = "test-admin-token";
    final Path photoDir;

    LiveElection(Path dir, long seed, Duration publishInterval) {
        this(dir, seed, publishInterval, c -> c.withLimits(org.rekap.guard.GuardLimits.publicSide().withRate(0),
                org.rekap.guard.GuardLimits.officerSide().withRate(0)));
    }

    /** Every test client is 127.0.0.1, standing for many phones and readers: by default per-address rates are off. */
    private final java.util.function.UnaryOperator<RekapServer.Config> configure;

    LiveElection(Path dir, long seed, Duration publishInterval, java.util.function.UnaryOperator<RekapServer.Config> configure) {
        this(dir, SqliteStore.open(dir.resolve("rekap.db")), Scale.SMALL, seed, publishInterval, configure);
    }

    /** The same on a store the caller opened (it is closed with the election); photos still go under {@code dir}. */
    LiveElection(Path dir, ElectionStore store, long seed, Duration publishInterval) {
        this(dir, store, Scale.SMALL, seed, publishInterval, c -> c.withLimits(
                org.rekap.guard.GuardLimits.publicSide().withRate(0), org.rekap.guard.GuardLimits.officerSide().withRate(0)));
    }

    LiveElection(Path dir, Scale scale, long seed, Duration publishInterval,
            java.util.function.UnaryOperator<RekapServer.Config> configure) {
        this(dir, SqliteStore.open(dir.resolve("rekap.db")), scale, seed, publishInterval, configure);
    }

    LiveElection(Path dir, ElectionStore store, Scale scale, long seed, Duration publishInterval,
            java.util.function.UnaryOperator<RekapServer.Config> configure) {
        this.configure = configure;
        this.photoDir = dir.resolve("photos");
        EventLog.to(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        this.election = SyntheticElection.of(scale, seed);
        this.publishInterval = publishInterval;
        this.store = store;
        var s = election.setup();
        // A store that already has a log (a restart on a reopened store) keeps the set-up that log refers to.
        if (store.logSize() == 0) store.saveSetup(new Setup(s.name(), s.rootName(), election.regions(), s.contests()));
        server = start();
    }

    /** The log's signing key, the same across restarts as a real deployment's. */
    final NoteSigner signer = NoteSigner.generate("rekap.test/live", new SecureRandom());

    private RekapServer start() {
        return RekapServer.start(store, configure.apply(new RekapServer.Config("127.0.0.1", 0, publishInterval, signer,
                photoDir, ADMIN_TOKEN)));
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

    /** A URL on the side that serves {@code path}: officer, reviewer, admin, metrics and the officer app on the officer port. */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + (officerSide(path) ? server.officerPort() : server.port()) + path);
    }

    static boolean officerSide(String path) {
        return path.startsWith("/api/officer/") || path.startsWith("/api/review/") || path.startsWith("/api/admin/")
                || path.startsWith("/metrics") || path.startsWith("/petugas/");
    }

    /** A URL on the public side, whatever the path. */
    URI publicUri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** A URL on the officer side, whatever the path. */
    URI officerUri(String path) {
        return URI.create("http://127.0.0.1:" + server.officerPort() + path);
    }

    private final java.util.Map<String, SimOfficer> officers = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

    /** The phone of a TPS's officer, enrolled over HTTP with a freshly issued code on first use. */
    SimOfficer officer(String tps) {
        return officers.computeIfAbsent(tps, t -> {
            String code = org.rekap.officer.EnrolmentCodes.generate();
            store.issueCodes(java.util.List.of(new org.rekap.store.EnrolmentCode(org.rekap.officer.EnrolmentCodes.hash(code),
                    org.rekap.ledger.Role.OFFICER, t, java.time.Instant.now().plusSeconds(3600))));
            SimOfficer o = SimOfficer.of(t, code, 42);
            var body = Json.MAPPER.createObjectNode().put("code", code)
                    .put("publicKey", java.util.Base64.getEncoder().encodeToString(o.publicKey()));
            try {
                var request = java.net.http.HttpRequest.newBuilder(uri("/api/officer/v1/enrol"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString())).build();
                var r = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
                while (r.statusCode() == 429) { // over the address's budget (when a test sets one): wait as told
                    Thread.sleep(1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")));
                    r = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
                }
                if (r.statusCode() != 201) throw new AssertionError("enrolment failed: " + r.body());
            } catch (java.io.IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
            return o;
        });
    }

    /** A submission signed by the TPS's enrolled officer. */
    String submission(String id, TallySheet sheet) {
        return signedBy(officer(sheet.tps()), id, sheet);
    }

    static String signedBy(SimOfficer officer, String id, TallySheet sheet) {
        var o = Json.MAPPER.createObjectNode();
        o.put("submissionId", id);
        o.set("sheet", SheetJson.write(sheet));
        o.put("device", officer.device());
        o.put("signature", java.util.Base64.getEncoder().encodeToString(officer.sign(SignedPayloads.sheet(id, sheet))));
        return o.toString();
    }

    @Override
    public void close() {
        if (server != null) server.close();
        store.close();
        EventLog.to(System.out);
    }
}
