package org.rekap.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rekap.codec.Json;
import org.rekap.codec.SheetJson;
import org.rekap.contest.Contest;
import org.rekap.generate.Scale;
import org.rekap.generate.SyntheticElection;
import org.rekap.ledger.Checkpoint;
import org.rekap.ledger.Checkpoints;
import org.rekap.ledger.NoteSigner;
import org.rekap.region.RegionTree;
import org.rekap.sheet.TallySheet;
import org.rekap.store.Setup;
import org.rekap.store.SqliteStore;
import org.rekap.web.EventLog;
import org.rekap.web.RekapServer;

/**
 * A small synthetic election served for real (SQLite in a temp dir, a server on a loopback port), fed over the officer
 * API, and the helpers the verifier's tests need: waiting for the signed checkpoint, copying the site into a directory.
 */
final class LiveSite implements AutoCloseable {
    final SyntheticElection election;
    final SqliteStore store;
    final NoteSigner signer = NoteSigner.generate("rekap.test/verify", new SecureRandom());
    final RekapServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> pending = new ArrayList<>();
    /** Receipts of accepted sheets by submission id: {@code seq} and {@code status}. */
    final java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> receipts = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, org.rekap.simulate.SimOfficer> officers = new java.util.HashMap<>();

    LiveSite(Path dir, long seed) {
        EventLog.to(new PrintStream(OutputStream.nullOutputStream()));
        election = SyntheticElection.of(Scale.SMALL, seed);
        store = SqliteStore.open(dir.resolve("rekap.db"));
        var s = election.setup();
        store.saveSetup(new Setup(s.name(), s.rootName(), election.regions(), s.contests()));
        server = RekapServer.start(store, new RekapServer.Config("127.0.0.1", 0, Duration.ofMillis(20), signer,
                dir.resolve("photos"), "test-admin-token").withLimits(org.rekap.guard.GuardLimits.publicSide().withRate(0),
                org.rekap.guard.GuardLimits.officerSide().withRate(0)));
        RegionTree tree = election.tree();
        for (int t = tree.regionCount(); t < tree.size(); t++) {
            org.rekap.simulate.SimOfficer officer = enrol(tree.code(t), org.rekap.ledger.Role.OFFICER);
            officers.put(tree.code(t), officer);
            for (Contest c : election.election().contestsAt(t))
                pending.add(submission(officer, "v-" + t + "-" + c.id(), election.sheet(t, c)));
        }
    }

    String base() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    /** The officer and administrator side. */
    String officerBase() {
        return "http://127.0.0.1:" + server.officerPort() + "/";
    }

    int remaining() {
        return pending.size();
    }

    /** Submits the next {@code count} sheets (a few at a time, as officers do); returns the log size after. */
    long submit(int count) throws Exception {
        List<String> batch = new ArrayList<>(pending.subList(0, count));
        pending.subList(0, count).clear();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (String body : batch)
                results.add(pool.submit(() -> {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(officerBase() + "api/officer/v1/sheets"))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 201) {
                        var receipt = Json.MAPPER.readTree(r.body());
                        receipts.put(receipt.get("id").asText(), receipt);
                    }
                    return r.statusCode();
                }));
            for (Future<Integer> r : results) assertThat(r.get()).isEqualTo(201);
        }
        return store.logSize();
    }

    long submitAll() throws Exception {
        return submit(pending.size());
    }

    /** Waits (bounded) until the published checkpoint has this size. */
    Checkpoint awaitCheckpoint(long size) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            byte[] note = http.send(HttpRequest.newBuilder(URI.create(base() + "checkpoint")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            try {
                Checkpoint c = Checkpoints.open(note, signer.verifier());
                if (c.size() == size) return c;
            } catch (org.rekap.ledger.NoteException notYet) {
                // no checkpoint before the first snapshot
            }
            assertThat(System.nanoTime()).as("the checkpoint never reached " + size).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /**
     * What happens after the count: a reviewer of the region accepts the first held sheet as written, another corrects
     * a counted PPWP sheet (10 votes moved back from pair 2 to pair 1), and the administrator revokes one officer's
     * device. Returns the log size after.
     */
    long reviewAndRevoke() throws Exception {
        RegionTree tree = election.tree();
        var held = receipts.values().stream().filter(r -> r.get("status").asText().equals("held"))
                .min(java.util.Comparator.comparingLong(r -> r.get("seq").asLong())).orElseThrow();
        int tps = tree.index(held.get("tps").asText());
        Contest heldContest = election.election().contest(held.get("contest").asText());
        var reviewer = enrol(tree.code(tree.parent(tps)), org.rekap.ledger.Role.REVIEWER);
        post("api/review/v1/decisions", decision(reviewer, "d-accept", election.sheet(tps, heldContest),
                held.get("seq").asLong(), "accept", null, "angka sesuai formulir kertas"));

        Contest ppwp = election.election().contest("ppwp");
        int t = tree.regionCount();
        while (election.isAnomalous(t, ppwp)) t++;
        TallySheet sheet = election.sheet(t, ppwp);
        long seq = receipts.get("v-" + t + "-ppwp").get("seq").asLong();
        List<org.rekap.sheet.ChoiceVotes> votes = new ArrayList<>(sheet.votes());
        int moved = Math.min(10, votes.get(1).total());
        votes.set(0, org.rekap.sheet.ChoiceVotes.single(votes.get(0).choice(), votes.get(0).total() + moved));
        votes.set(1, org.rekap.sheet.ChoiceVotes.single(votes.get(1).choice(), votes.get(1).total() - moved));
        TallySheet corrected = new TallySheet(sheet.tps(), sheet.contest(), sheet.registered(), sheet.voted(),
                sheet.ballots(), votes, sheet.valid(), sheet.invalid(), sheet.cast(), sheet.photos());
        var other = enrol(tree.code(tree.parent(t)), org.rekap.ledger.Role.REVIEWER);
        post("api/review/v1/decisions", decision(other, "d-correct", sheet, seq, "correct", corrected,
                "salah salin: 10 suara paslon 1 tertulis di paslon 2"));

        var revoke = Json.MAPPER.createObjectNode().put("device", officers.get(tree.code(tree.size() - 1)).device())
                .put("reason", "telepon hilang");
        var r = http.send(HttpRequest.newBuilder(URI.create(officerBase() + "api/admin/v1/revoke"))
                .header("Authorization", "Bearer test-admin-token")
                .POST(HttpRequest.BodyPublishers.ofString(revoke.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return store.logSize();
    }

    private void post(String path, String body) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create(officerBase() + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static String decision(org.rekap.simulate.SimOfficer reviewer, String id, TallySheet sheet, long seq,
            String verdict, TallySheet corrected, String reason) {
        var o = Json.MAPPER.createObjectNode();
        o.put("decisionId", id).put("reviewer", reviewer.device()).put("tps", sheet.tps()).put("contest", sheet.contest())
                .put("sheetSeq", seq).put("verdict", verdict).put("reason", reason);
        if (corrected != null) o.set("corrected", SheetJson.write(corrected));
        byte[] payload = org.rekap.codec.SignedPayloads.review(id, sheet.tps(), sheet.contest(), seq, verdict, corrected,
                reason);
        o.put("signature", java.util.Base64.getEncoder().encodeToString(reviewer.sign(payload)));
        return o.toString();
    }

    /** Issues a code for the TPS (officer) or region (reviewer) and enrols a simulated phone with it, over HTTP. */
    private org.rekap.simulate.SimOfficer enrol(String scope, org.rekap.ledger.Role role) {
        String code = org.rekap.officer.EnrolmentCodes.generate();
        store.issueCodes(List.of(new org.rekap.store.EnrolmentCode(org.rekap.officer.EnrolmentCodes.hash(code),
                role, scope, java.time.Instant.now().plusSeconds(3600))));
        var officer = org.rekap.simulate.SimOfficer.of(scope, code, 7);
        var body = Json.MAPPER.createObjectNode().put("code", code)
                .put("publicKey", java.util.Base64.getEncoder().encodeToString(officer.publicKey()));
        try {
            var r = http.send(HttpRequest.newBuilder(URI.create(officerBase() + "api/officer/v1/enrol"))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
        return officer;
    }

    private static String submission(org.rekap.simulate.SimOfficer officer, String id, TallySheet sheet) {
        var o = Json.MAPPER.createObjectNode();
        o.put("submissionId", id);
        o.set("sheet", SheetJson.write(sheet));
        o.put("device", officer.device());
        o.put("signature", java.util.Base64.getEncoder().encodeToString(
                officer.sign(org.rekap.codec.SignedPayloads.sheet(id, sheet))));
        return o.toString();
    }

    /**
     * Copies the site into {@code dir}: every path a full verification reads, as the files a static copy would hold
     * (proof paths keep their query in the file name). Returns the verification of the live site that made the copy.
     */
    static Report copy(String base, Path dir) throws Exception {
        Source live = Source.open(base);
        Source recording = new Source() {
            @Override
            public Response fetch(String path) throws NotFoundException, SourceException {
                Response r = live.fetch(path);
                try {
                    Path file = dir.resolve(path);
                    Files.createDirectories(file.getParent());
                    Files.write(file, r.body());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return r;
            }

            @Override
            public String describe() {
                return live.describe();
            }
        };
        return new Verifier(recording, new Verifier.Options(null, dir.resolveSibling(dir.getFileName() + ".state"),
                true, false), ProgressListener.NONE).run();
    }

    /** A fresh copy of a site copy, to tamper with. */
    static Path duplicate(Path site, Path into) throws IOException {
        try (var files = Files.walk(site)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = into.resolve(site.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        return into;
    }

    @Override
    public void close() {
        server.close();
        store.close();
        EventLog.to(System.out);
    }
}
